import { describe, expect, it } from "vitest";
import { RunContext } from "./context.js";
import { SettledTable } from "./settled.js";
import type { BulkInput, BulkStore, InputRecord, JournalEntry } from "./types.js";

/** A store that keeps what is appended (the context writes every state change to it). */
function memoryStore(): BulkStore & { entries: JournalEntry[] } {
  const entries: JournalEntry[] = [];
  return {
    entries,
    load: async () => ({ salt: "s", records: new Map() }),
    append: async (e) => {
      entries.push(e);
    },
    close: async () => {},
  };
}

function oneProcessRun(inputs: BulkInput[]) {
  const ctx = new RunContext({ inputs, outDir: "/nowhere" }, memoryStore());
  ctx.settled = new SettledTable(inputs.length);
  const items = inputs.map((input, i) => ctx.register(input, i, { key: input.key, state: "pending" }));
  return { ctx, items };
}

describe("a one-process run keeps settled inputs compact", () => {
  it("a done or failed input leaves the run's items; the records stay complete, in input order", async () => {
    const inputs = ["a.wav", "b.wav", "c.wav", "d.wav"].map((key) => ({ key, path: `/in/${key}` }));
    const { ctx, items } = oneProcessRun(inputs);
    const [a, b, c] = items as [(typeof items)[0], (typeof items)[0], (typeof items)[0]];
    await ctx.setState(a, "uploading", { jobId: "bk1", sha256: "f".repeat(64), createdAt: 5 });
    await ctx.setState(a, "done", { saved: ["txt", "srt"], audioSeconds: 1.5, processingSeconds: 0.25 });
    await ctx.setState(b, "failed", { jobId: "bk2", error: 'bad "audio"' });
    await ctx.setState(c, "queued", { jobId: "bk3" });
    expect([...ctx.items.keys()]).toEqual(["c.wav", "d.wav"]);
    const expected: InputRecord[] = [
      { key: "a.wav", state: "done", jobId: "bk1", saved: ["txt", "srt"], audioSeconds: 1.5, processingSeconds: 0.25 },
      { key: "b.wav", state: "failed", jobId: "bk2", error: 'bad "audio"' },
      { key: "c.wav", state: "queued", jobId: "bk3" },
      { key: "d.wav", state: "pending" },
    ];
    expect([...ctx.records()]).toEqual(expected);
    expect([...ctx.records()]).toEqual(expected);
  });

  it("an input set live again comes back to the items; a key given twice is reported once, at its first place", async () => {
    const inputs = [
      { key: "a.wav", path: "/in/a.wav" },
      { key: "b.wav", path: "/in/b.wav" },
      { key: "a.wav", path: "/in/a-again.wav" },
    ];
    const { ctx, items } = oneProcessRun(inputs);
    const again = items[2] as (typeof items)[0];
    await ctx.setState(again, "failed", { error: "x" });
    expect(ctx.items.has("a.wav")).toBe(false);
    expect([...ctx.records()].map((r) => [r.key, r.state])).toEqual([
      ["a.wav", "failed"],
      ["b.wav", "pending"],
    ]);
    await ctx.setState(again, "pending", {}, "retry");
    expect(ctx.items.get("a.wav")).toBe(again);
    expect([...ctx.records()].map((r) => [r.key, r.state])).toEqual([
      ["a.wav", "pending"],
      ["b.wav", "pending"],
    ]);
  });

  it("a run without the table (a shared run's worker) keeps every item", async () => {
    const ctx = new RunContext({ inputs: [{ key: "a.wav", path: "/a.wav" }], outDir: "/nowhere" }, memoryStore());
    const item = { input: { key: "a.wav" }, rec: { key: "a.wav", state: "pending" as const }, lastSeen: 0 };
    ctx.items.set("a.wav", item);
    await ctx.setState(item, "done", { saved: ["txt"] });
    expect(ctx.items.get("a.wav")).toBe(item);
  });
});
