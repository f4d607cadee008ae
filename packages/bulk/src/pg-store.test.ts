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
});
