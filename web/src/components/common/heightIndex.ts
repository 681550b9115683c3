/** Row heights of a virtual list in a Fenwick tree: offset of a row and row at an offset in O(log n), 100k rows cheap. */

export class HeightIndex {
  private tree = new Float64Array(1)
  private heights = new Float64Array(0)
  private capacity = 0
  private size = 0

  get count(): number {
    return this.size
  }

  get total(): number {
    return this.prefix(this.size)
  }

  /** Replaces all rows; O(n). */
  reset(heights: ArrayLike<number>): void {
    this.size = heights.length
    this.build(Math.max(16, nextPowerOfTwo(this.size)), heights)
  }

  push(height: number): void {
    if (this.size === this.capacity) this.build(Math.max(16, this.capacity * 2), this.heights.subarray(0, this.size))
    this.size += 1
    this.set(this.size - 1, height)
  }

  heightOf(index: number): number {
    return this.heights[index] ?? 0
  }

  set(index: number, height: number): void {
    const delta = height - (this.heights[index] ?? 0)
    if (delta === 0) return
    this.heights[index] = height
    for (let node = index + 1; node <= this.capacity; node += node & -node) this.tree[node] = (this.tree[node] ?? 0) + delta
  }

  /** Distance from the top of the list to the top of row `index`. */
  offsetOf(index: number): number {
    return this.prefix(Math.min(index, this.size))
  }

  /** The row under `offset` (clamped to the list). */
  indexAt(offset: number): number {
    if (this.size === 0) return 0
    let position = 0
    let remaining = offset
    for (let step = this.capacity; step > 0; step >>= 1) {
      const next = position + step
      const weight = this.tree[next] ?? 0
      if (next <= this.capacity && weight <= remaining) {
        position = next
        remaining -= weight
      }
    }
    return Math.min(Math.max(position, 0), this.size - 1)
  }

  private prefix(count: number): number {
    let sum = 0
    for (let node = count; node > 0; node -= node & -node) sum += this.tree[node] ?? 0
    return sum
  }

  private build(capacity: number, heights: ArrayLike<number>): void {
    const values = new Float64Array(capacity)
    for (let index = 0; index < heights.length; index += 1) values[index] = heights[index] ?? 0
    const tree = new Float64Array(capacity + 1)
    for (let node = 1; node <= capacity; node += 1) {
      tree[node] = (tree[node] ?? 0) + (values[node - 1] ?? 0)
      const parent = node + (node & -node)
      if (parent <= capacity) tree[parent] = (tree[parent] ?? 0) + (tree[node] ?? 0)
    }
    this.tree = tree
    this.heights = values
    this.capacity = capacity
  }
}

function nextPowerOfTwo(value: number): number {
  let power = 1
  while (power < value) power *= 2
  return power
}
