import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as client from "./node.js";

const doc = readFileSync(new URL("../api.md", import.meta.url), "utf8");
const source = (file: string) => readFileSync(new URL(file, import.meta.url), "utf8");

describe("api.md", () => {
  it("names every export, runtime and type", () => {
    const types = [...source("./exports.ts").matchAll(/\b(?:type\s+)?([A-Z]\w+)\b/g)].map((m) => m[1] as string);
    const names = new Set([...Object.keys(client), ...types]);
    expect([...names].filter((n) => !doc.includes(`\`${n}`))).toEqual([]);
  });

  it("names every client option", () => {
    const body = /export interface SlngClientOptions \{([\s\S]*?)\n\}/.exec(source("./core.ts"))?.[1] ?? "";
    const options = [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1] as string);
    expect(options.length).toBeGreaterThan(10);
    expect(options.filter((o) => !doc.includes(`| \`${o}\` |`))).toEqual([]);
  });
});
