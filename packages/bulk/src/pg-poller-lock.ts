import type { Client } from "pg";

/**
 * The run's poller role: a session advisory lock on a connection of its own, so it is released
 * by the server when its holder dies (or its connection drops) and another worker takes it.
 */
export class PollerLock {
  private client: Client | undefined;
  private holding = false;

  constructor(
    private readonly url: string,
    private readonly run: string,
  ) {}

  /** True while this worker holds the role, as last seen (no query). */
  get held(): boolean {
    return this.holding;
  }

  /** True while this worker holds the role; tries to take it when it is free. Never throws. */
  async hold(): Promise<boolean> {
    try {
      if (this.client && this.holding) {
        await this.client.query("SELECT 1");
        return true;
      }
      const client = this.client ?? (await this.connect());
      const { rows } = await client.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
        [`slng-bulk-poller:${this.run}`],
      );
      this.holding = rows[0]?.ok === true;
      return this.holding;
    } catch {
      await this.close();
      return false;
    }
  }

  private async connect(): Promise<Client> {
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 });
    c.on("error", () => {
      this.holding = false;
      if (this.client === c) this.client = undefined;
    });
    await c.connect();
    this.client = c;
    return c;
  }

  /** Gives the role up (closes its connection). */
  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.holding = false;
    await c?.end().catch(() => {});
  }
}
