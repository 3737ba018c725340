/** A fixed-size buffer of the most recent timed samples; the oldest are overwritten. */
export class SampleRing<T extends { time: number }> {
  private readonly items: Array<T | undefined>;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Samples with `time >= since`, oldest first. */
  since(since: number): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) {
      const item = this.items[(this.next - this.count + i + this.capacity) % this.capacity];
      if (item && item.time >= since) out.push(item);
    }
    return out;
  }

  get size(): number {
    return this.count;
  }
}
