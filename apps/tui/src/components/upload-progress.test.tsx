import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { UploadProgress } from "./upload-progress.js";

const MiB = 1024 * 1024;
const frame = (props: Partial<Parameters<typeof UploadProgress>[0]>) =>
  render(
    <UploadProgress filename="talk.wav" loaded={0} total={0} phase="upload" columns={80} {...props} />,
  ).lastFrame() ?? "";
const bar = (text: string) => /[█░]+/.exec(text)?.[0].length;

describe("UploadProgress", () => {
  it("keeps the bar's width as speed and time left come and go", () => {
    const start = frame({ loaded: 0, total: 293 * MiB });
    const moving = frame({ loaded: 100 * MiB, total: 293 * MiB, bytesPerSecond: 18.6 * MiB, secondsLeft: 10 });
    expect(bar(start)).toBe(bar(moving));
    for (const line of moving.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("names each step: the check, a presign, the upload, the create", () => {
    expect(frame({ phase: "check", total: 10 })).toContain("talk.wav — checking the API key…");
    expect(frame({ phase: "presign", total: 10 })).toContain("requesting upload URL…");
    expect(frame({ phase: "upload", total: 10, loaded: 5 })).toContain("talk.wav — uploading");
    expect(frame({ phase: "create", total: 10, loaded: 10 })).toContain("creating job…");
  });

  it("a tiny file shows its own size; a URL input shows no bar", () => {
    expect(frame({ loaded: 23, total: 23, phase: "create" })).toContain("23 B / 23 B");
    const url = frame({ phase: "create", total: 0 });
    expect(url).toContain("creating job…");
    expect(url).not.toMatch(/[█░]/);
  });

  it("says stalled when the speed has fallen to nothing", () => {
    expect(frame({ loaded: 5 * MiB, total: 20 * MiB, bytesPerSecond: 0 })).toContain("stalled");
  });
});
