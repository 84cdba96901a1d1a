/**
 * RateLimiter: one Durable Object per client (see `clientKey`) that counts its requests
 * per bucket ("login", "signup", …) in a sliding window, exactly. An object runs one call
 * at a time and `take` counts and records without awaiting in between, so parallel
 * requests from one client are counted one after another: they cannot all slip under
 * the limit.
 */
import { DurableObject } from "cloudflare:workers";

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter extends DurableObject<Env> {
  /**
   * The counters are disposable: the alarm deletes all storage once the last window has
   * passed, so the table is (re)created on use instead of by a migration.
   */
  private ensureTable(): void {
    this.ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, expires_at INTEGER NOT NULL); " +
        "CREATE INDEX IF NOT EXISTS hits_bucket_expires ON hits (bucket, expires_at);",
    );
  }

  /** Records one request in `bucket`, unless `limit` requests already fall inside the last `windowMs`. */
  async take(bucket: string, limit: number, windowMs: number): Promise<TakeResult> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    this.ensureTable();
    sql.exec("DELETE FROM hits WHERE expires_at <= ?", now);
    const { n, first } = sql
      .exec<{ n: number; first: number | null }>(
        "SELECT count(*) AS n, min(expires_at) AS first FROM hits WHERE bucket = ?",
        bucket,
      )
      .one();
    if (n >= limit) {
      // One slot frees when the oldest counted request leaves the window.
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((first ?? now) - now) / 1000)) };
    }
    const expiresAt = now + windowMs;
    sql.exec("INSERT INTO hits (bucket, expires_at) VALUES (?, ?)", bucket, expiresAt);
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm < expiresAt) await this.ctx.storage.setAlarm(expiresAt);
    return { allowed: true };
  }

  /** Forgets expired requests; once none are left, deletes the object's storage entirely. */
  override async alarm(): Promise<void> {
    this.ensureTable();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM hits WHERE expires_at <= ?", Date.now());
    const { last } = sql.exec<{ last: number | null }>("SELECT max(expires_at) AS last FROM hits").one();
    if (last === null) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(last);
  }
}
