import postgres from "pg";
import { describe, expect, inject, it } from "vitest";
import { openPgStore } from "./pg-store.js";
import { LeaseLostError } from "./shared-store.js";

const pg = inject("pg");

describe("the PostgreSQL store", () => {
  it("a claim of output paths for an input another worker took over rejects (LeaseLostError); one still leased is recorded", async () => {
    const run = `c${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
    const a = openPgStore({ url: pg.url, run, owner: "worker-a" });
    const b = openPgStore({ url: pg.url, run, owner: "worker-b" });
    const join = {
      settings: { formats: ["txt"] },
      keys: ["k1", "k2"],
      notice: () => {},
      signal: new AbortController().signal,
    };
    const db = new postgres.Client({ connectionString: pg.url });
    try {
      await a.join(join);
      await b.join(join);
      await db.connect();
      expect((await a.claim({ downloads: 0, creates: 2 })).map((r) => r.key)).toEqual(["k1", "k2"]);
      await db.query(
        "UPDATE slng_bulk_inputs SET lease_until = now() - interval '1 second' WHERE run = $1 AND key = 'k2'",
        [run],
      );
      expect((await b.claim({ downloads: 0, creates: 2 })).map((r) => r.key)).toEqual(["k2"]);
      await expect(a.append({ key: "k2", claimed: ["txt"] })).rejects.toBeInstanceOf(LeaseLostError);
      await a.append({ key: "k1", claimed: ["txt"] });
      const records = await a.records();
      expect(records.find((r) => r.key === "k1")?.claimed).toEqual(["txt"]);
      expect(records.find((r) => r.key === "k2")?.claimed).toBeUndefined();
    } finally {
      await db.end().catch(() => {});
      await a.close();
      await b.close();
    }
  });

  it("reads a run's records a page at a time: every key once, in the store's key order, whatever the characters", async () => {
    const run = `p${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
    const store = openPgStore({ url: pg.url, run, owner: "worker-a" });
    const names = ["a b", "Ä", "z", "a", "ß", "日本", "A-", "a_"];
    const keys = Array.from({ length: 2_500 }, (_, i) => `${names[i % names.length]}/${i % 3 ? "x" : "X"}${i}.wav`);
    const db = new postgres.Client({ connectionString: pg.url });
    try {
      await db.connect();
      await store.join({
        settings: { formats: ["txt"] },
        keys,
        notice: () => {},
        signal: new AbortController().signal,
      });
      const paged: string[] = [];
      for await (const rec of store.eachRecord()) paged.push(rec.key);
      expect(paged).toHaveLength(keys.length);
      expect(new Set(paged)).toEqual(new Set(keys));
      const ordered = await db.query("SELECT key FROM slng_bulk_inputs WHERE run = $1 ORDER BY key", [run]);
      expect(paged).toEqual(ordered.rows.map((r: { key: string }) => r.key));
    } finally {
      await db.end().catch(() => {});
      await store.close();
    }
  });
});
