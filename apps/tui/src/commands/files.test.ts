import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Io } from "../lib/io.js";
import { FakeApi } from "../test-utils/fake-api.js";
import { filesCommand } from "./other.js";

const SIGNED = {
  s3: "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAEXAMPLE%2F20261202&X-Amz-Security-Token=tok3n&X-Amz-Signature=s3sig",
  gcs: "https://storage.googleapis.com/b/k?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=svc%40p.iam&X-Goog-Signature=gcssig",
  azure: "https://acct.blob.core.windows.net/c/k?sv=2022-11-02&se=2026-12-02&sp=r&sig=azuresig",
};

class SignedUrlsApi extends FakeApi {
  override async files(jobId: string) {
    const base = await super.files(jobId);
    const urls = Object.values(SIGNED);
    return { ...base, outputs: base.outputs.map((o, i) => ({ ...o, download_url: urls[i] as string })) };
  }
}

function io(json: boolean): Io & { out: () => string } {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (d) => {
    out += d;
  });
  const stream = stdout as unknown as NodeJS.WriteStream;
  return {
    stdout: stream,
    stderr: stream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    env: {},
    interactive: false,
    json,
    color: false,
    out: () => out,
  };
}

describe("slng-batch files", () => {
  it.each([false, true])(
    "hides S3, GCS and Azure signatures and credentials unless --urls (json: %s)",
    async (json) => {
      const out = io(json);
      await filesCommand(out, () => new SignedUrlsApi(), "j1", {});
      const text = out.out();
      for (const secret of ["s3sig", "tok3n", "AKIAEXAMPLE", "gcssig", "svc%40p.iam", "azuresig"])
        expect(text).not.toContain(secret);
      expect(text).toContain("storage.googleapis.com/b/k");
      const full = io(json);
      await filesCommand(full, () => new SignedUrlsApi(), "j1", { urls: true });
      expect(full.out()).toContain("azuresig");
    },
  );
});
