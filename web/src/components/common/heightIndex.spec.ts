import { describe, expect, it } from 'vitest'
import { HeightIndex } from './heightIndex'

function naiveOffset(heights: number[], index: number): number {
  return heights.slice(0, index).reduce((sum, height) => sum + height, 0)
}

function naiveIndexAt(heights: number[], offset: number): number {
  let top = 0
  for (let index = 0; index < heights.length; index += 1) {
    top += heights[index]!
    if (top > offset) return index
  }
  return heights.length - 1
}

describe('HeightIndex', () => {
  it('agrees with a plain sum through resets, pushes past capacity and updates', () => {
    const heights = Array.from({ length: 37 }, (_, index) => 20 + ((index * 7) % 13))
    const index = new HeightIndex()
    index.reset(heights)
    for (let step = 0; step < 50; step += 1) {
      const height = 10 + ((step * 11) % 40)
      heights.push(height)
      index.push(height)
    }
    heights[3] = 200
    index.set(3, 200)
    heights[80] = 1
    index.set(80, 1)
    expect(index.count).toBe(heights.length)
    expect(index.total).toBe(naiveOffset(heights, heights.length))
    for (let row = 0; row <= heights.length; row += 1) expect(index.offsetOf(row)).toBe(naiveOffset(heights, row))
    for (let offset = 0; offset < index.total + 50; offset += 17) expect(index.indexAt(offset)).toBe(naiveIndexAt(heights, offset))
  })

  it('handles the empty list', () => {
    const index = new HeightIndex()
    expect([index.total, index.indexAt(100), index.offsetOf(5)]).toEqual([0, 0, 0])
    index.push(30)
    expect([index.total, index.indexAt(29), index.indexAt(31)]).toEqual([30, 0, 0])
  })
})
