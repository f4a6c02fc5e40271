/** Completions per second over the last few seconds, from one-second buckets. */
export class ThroughputMeter {
  private readonly buckets: number[];
  private currentSecond = Math.floor(Date.now() / 1000);
  total = 0;

  constructor(private readonly windowSeconds = 5) {
    this.buckets = new Array(windowSeconds + 1).fill(0);
  }

  add(count = 1): void {
    this.advance();
    this.buckets[this.currentSecond % this.buckets.length]! += count;
    this.total += count;
  }

  /** Mean rate over the last full `windowSeconds` seconds. */
  perSecond(): number {
    this.advance();
    let sum = 0;
    for (let i = 1; i <= this.windowSeconds; i++)
      sum += this.buckets[(this.currentSecond - i) % this.buckets.length]!;
    return sum / this.windowSeconds;
  }

  private advance(): void {
    const now = Math.floor(Date.now() / 1000);
    for (let s = this.currentSecond + 1; s <= now && s <= this.currentSecond + this.buckets.length; s++) {
      this.buckets[s % this.buckets.length] = 0;
    }
    this.currentSecond = now;
  }
}
