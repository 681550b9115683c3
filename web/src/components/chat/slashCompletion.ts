/** Which slash commands complete the send box's text, and what accepting one makes of it. */
import type { SlashCommand } from '../../api/types'

/** The command word being typed, when the text is "/word" with the caret still inside it. */
export function slashQuery(text: string): string | null {
  const match = /^\/(\S*)$/.exec(text)
  return match ? (match[1] ?? '') : null
}

export function completions(commands: readonly SlashCommand[], text: string, limit = 8): SlashCommand[] {
  const query = slashQuery(text)
  if (query === null) return []
  const needle = query.toLowerCase()
  const name = (command: SlashCommand) => command.name.replace(/^\//, '').toLowerCase()
  const starts = commands.filter((command) => name(command).startsWith(needle))
  const contains = commands.filter((command) => !name(command).startsWith(needle) && name(command).includes(needle))
  return [...starts, ...contains].slice(0, limit)
}

export function accept(command: SlashCommand): string {
  return `/${command.name.replace(/^\//, '')} `
}
