/** A set of instrument indexes touched since the last drain, without allocation or duplicates. */
export class DirtySet {
  readonly members: Int32Array;
  private readonly marked: Uint8Array;
  size = 0;

  constructor(capacity: number) {
    this.members = new Int32Array(capacity);
    this.marked = new Uint8Array(capacity);
  }

  add(index: number): void {
    if (this.marked[index] === 1) return;
    this.marked[index] = 1;
    this.members[this.size++] = index;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.marked[this.members[i]!] = 0;
    this.size = 0;
  }
}
