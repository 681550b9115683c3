import { describe, expect, it } from 'vitest'
import { useListNavigation } from './useListNavigation'

describe('useListNavigation', () => {
  it('wraps around both ends and ignores an empty list', () => {
    let size = 3
    const { active, move } = useListNavigation(() => size)
    move(-1)
    expect(active.value).toBe(2)
    move(1)
    expect(active.value).toBe(0)
    size = 0
    move(1)
    expect(active.value).toBe(0)
  })
})
