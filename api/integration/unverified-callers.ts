/**
 * Requests that bring no valid token, counted per address in fixed windows. A token not yet verified is
 * only a string the caller chose: keyed on it, every made-up token would get a fresh allowance and its
 * own database lookup. So each request takes a place from its address before its token is looked up,
 * and a token that proves valid gives the place back, to be counted against the token from then on.
 * Kept in memory, per API instance, like the per-token limit.
 */
export class UnverifiedCallers {
  #window = -1;
  #counts = new Map<string, number>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a place for a request from `address`; false when the address has none left in this window. */
  take(address: string): boolean {
    this.#roll();
    const count = (this.#counts.get(address) ?? 0) + 1;
    if (count > this.max) return false;
    this.#counts.set(address, count);
    return true;
  }

  /** The place of a request whose token proved valid. */
  giveBack(address: string): void {
    this.#roll();
    const count = this.#counts.get(address) ?? 0;
    if (count <= 1) this.#counts.delete(address);
    else this.#counts.set(address, count - 1);
  }

  /** Seconds until the window, and every address's allowance, starts again. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.#window + 1) * this.windowMs - this.now()) / 1000));
  }

  /** A new window forgets every address, so the map holds only this window's callers. */
  #roll() {
    const window = Math.floor(this.now() / this.windowMs);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts.clear();
    }
  }
}
