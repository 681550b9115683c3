/** Wire types of the o3s read API, SSE stream and command endpoints (mirrors read_api/wire_types.py; `npm run check:api`). */

export type Backend = 'claude' | 'sim'

/**
 * The statuses the UI knows; the wire declares a plain string, so others pass through (shown as they are).
 * `string & {}` keeps the known names for the editor while accepting any string.
 */
export type AgentStatus =
  | 'idle'
  | 'executing'
  | 'waiting'
  | 'blocked'
  | 'complete'
  | 'interrupted'
  | 'failed'
  | 'deleted'
  | (string & {})

/** Ids are UUIDs and times ISO 8601 strings; `position` is the event that last changed (or created) the row. */
export interface OrchestratorRow {
  id: string
  /** The orchestrator's Claude SDK session (for resuming it), not the o3s session: that is `id`. */
  session_id: string | null
  system_prompt: string
  status: string
  working_dir: string
  model: string
  input_tokens: number
  output_tokens: number
  /** The orchestrator's own cost; `agents_cost` is what its agents spent. */
  total_cost: number
  agents_cost: number
  budget_usd: number | null
  archived: boolean
  metadata: Record<string, unknown>
  created_at: string
  updated_at: string
  position: number
}

export interface AgentRow {
  id: string
  orchestrator_agent_id: string
  name: string
  model: string
  system_prompt: string
  template: string | null
  working_dir: string
  status: AgentStatus
  session_id: string | null
  input_tokens: number
  output_tokens: number
  total_cost: number
  budget_usd: number | null
  archived: boolean
  latest_summary: string | null
  log_count: number
  metadata: Record<string, unknown>
  created_at: string
  updated_at: string
  position: number
}

export type SenderType = 'user' | 'orchestrator' | 'agent' | (string & {})

/** One chat entry; `metadata.type` tells text, thinking, tool_use, tool_result and command apart. */
export interface ChatRow {
  id: string
  orchestrator_agent_id: string
  sender_type: SenderType
  receiver_type: SenderType
  message: string
  agent_id: string | null
  summary: string | null
  metadata: Record<string, unknown>
  created_at: string
  position: number
}

export interface SlashCommand {
  name: string
  description: string
  argument_hint: string
}

export interface AgentTemplate {
  name: string
  description: string
  model: string | null
  color: string | null
  tools: string[]
}

export type EventCategory = 'hook' | 'response' | 'file'

/** Hook names, message block kinds, and `files` for file tracking; the backend may add more. */
export type AgentLogEventType =
  | 'PreToolUse'
  | 'PostToolUse'
  | 'PostToolUseFailure'
  | 'UserPromptSubmit'
  | 'Stop'
  | 'SubagentStop'
  | 'SubagentStart'
  | 'PreCompact'
  | 'Notification'
  | 'text'
  | 'thinking'
  | 'tool_use'
  | 'result'
  | 'failed'
  | 'interrupted'
  | 'files'

export interface FileChange {
  path: string
  diff: string
}

export interface FilesTouched {
  read: string[]
  changed: FileChange[]
}

/**
 * `payload` is free-form JSON per event type (tool_name, tool_input, tool_output, error, files, usage…); the UI reads
 * it through the checked accessors in stores/payload.ts, never by trusting its shape.
 */
export interface AgentLogRow {
  id: string
  agent_id: string
  agent_name: string
  orchestrator_agent_id: string
  /** The agent's SDK session; null in live frames (one event cannot know it). */
  session_id: string | null
  task_slug: string | null
  entry_index: number
  event_category: EventCategory | (string & {})
  event_type: AgentLogEventType | (string & {})
  content: string | null
  summary: string | null
  payload: Record<string, unknown>
  timestamp: string
  position: number
}

export interface SystemLogRow {
  id: string
  orchestrator_agent_id: string | null
  level: string
  message: string
  summary: string | null
  metadata: Record<string, unknown>
  timestamp: string
  position: number
}

// ---- snapshot queries -------------------------------------------------------------------------

export interface StateSnapshot {
  position: number
  /** Null only before any session exists. */
  orchestrator: OrchestratorRow | null
  agents: AgentRow[]
  chat: ChatRow[]
  slash_commands: SlashCommand[]
  templates: AgentTemplate[]
}

/** One stored row as /get_events returns it: the SSE frame's data of the same event, plus its wire type. */
export type EventRow =
  | ({ type: 'agent_log' } & AgentLogFrame)
  | ({ type: 'system_log' } & SystemLogFrame)
  | ({ type: 'orchestrator_chat' } & OrchestratorChatFrame)

/** Rows in position order; `has_more` when the page was cut at `limit`. */
export interface EventsPage {
  position: number
  events: EventRow[]
  has_more: boolean
}

export interface ChatPage {
  position: number
  messages: ChatRow[]
  has_more: boolean
}

export interface AgentsPage {
  position: number
  agents: AgentRow[]
}

/** `GET /health` (not in the schema's components: a plain object). */
export interface Health {
  status: string
  position: number
  session_id: string | null
  backend: Backend | (string & {})
}

// ---- SSE frames (data of each `event:` type; stored frames carry `position` = their `id:`) -------

interface Stored {
  position: number
}

/** What one finished turn added; clients add it to their totals (each frame is folded once, by position). */
export interface UsageDelta {
  input_tokens: number
  output_tokens: number
  cache_read_input_tokens: number
  cache_creation_input_tokens: number
  total_cost: number
}

export interface AgentCreatedFrame extends Stored {
  agent: AgentRow
}
/** An agent finished a turn: usage to add, how long it took, whether it ended in error; `log` is its `result` row. */
export interface AgentUpdatedFrame extends Stored {
  agent_id: string
  name: string | null
  delta: UsageDelta
  duration_ms: number
  num_turns: number
  is_error: boolean
  log: AgentLogRow
}
export interface AgentStatusChangedFrame extends Stored {
  agent_id: string
  name: string | null
  old_status: AgentStatus
  new_status: AgentStatus
  reason: string
  timestamp: string
}
export interface AgentDeletedFrame extends Stored {
  agent_id: string
  name: string
}
export interface AgentLogFrame extends Stored {
  log: AgentLogRow
}
export interface OrchestratorChatFrame extends Stored {
  message: ChatRow
}
export interface ThinkingBlockFrame extends Stored {
  id: string
  thinking: string
  reply_to: string | null
  timestamp: string
}
export interface ToolUseBlockFrame extends Stored {
  id: string
  tool_use_id: string
  tool_name: string
  tool_input: Record<string, unknown>
  reply_to: string | null
  timestamp: string
}
export interface AgentSummaryUpdateFrame extends Stored {
  agent_id: string
  summary: string
  subject_id: string
  subject_kind: string
}
/** Fields that are not null replace the orchestrator's; `delta` (a finished turn) adds to its totals. */
export interface OrchestratorUpdatedFrame extends Stored {
  session_id: string
  working_dir: string | null
  model: string | null
  delta: UsageDelta | null
}
export interface SystemLogFrame extends Stored {
  log: SystemLogRow
}
/** `log` is the agent_logs row the failure also becomes, when it is an agent's. */
export interface ErrorFrame extends Stored {
  message: string
  level: string
  agent_id: string | null
  log: AgentLogRow | null
}
export interface ChatTypingFrame {
  is_typing: boolean
  session_id: string
}
/** A piece of text block `block_id` while it is generated; the stored chat row has the same id. */
export interface ChatStreamFrame {
  block_id: string
  chunk: string
  session_id: string
}

/** Wire type → frame data; the single table the stream, the folds and the contract check share. */
export interface StreamFrames {
  agent_created: AgentCreatedFrame
  agent_updated: AgentUpdatedFrame
  agent_status_changed: AgentStatusChangedFrame
  agent_deleted: AgentDeletedFrame
  agent_log: AgentLogFrame
  orchestrator_chat: OrchestratorChatFrame
  thinking_block: ThinkingBlockFrame
  tool_use_block: ToolUseBlockFrame
  agent_summary_update: AgentSummaryUpdateFrame
  orchestrator_updated: OrchestratorUpdatedFrame
  system_log: SystemLogFrame
  error: ErrorFrame
  chat_typing: ChatTypingFrame
  chat_stream: ChatStreamFrame
}

export type WireType = keyof StreamFrames

/** A decoded frame; `position` is null for the ephemeral frames (no `id:` line). */
export type StreamEvent = {
  [K in WireType]: { type: K; position: number | null; data: StreamFrames[K] }
}[WireType]

export const WIRE_TYPES: readonly WireType[] = [
  'agent_created',
  'agent_updated',
  'agent_status_changed',
  'agent_deleted',
  'agent_log',
  'orchestrator_chat',
  'thinking_block',
  'tool_use_block',
  'agent_summary_update',
  'orchestrator_updated',
  'system_log',
  'error',
  'chat_typing',
  'chat_stream',
]

// ---- commands (app/http/command_schemas.py, app/commands/receipts.py) ---------------------------

/** Every command answers the store position of its last event (0 if it changed nothing). */
export interface Receipt {
  position: number
}
export interface SendChat {
  message: string
  session_id?: string | null
}
export interface MessageReceipt extends Receipt {
  message_id: string
}
export interface CreateAgent {
  name: string
  system_prompt?: string
  model?: string | null
  subagent_template?: string | null
  session_id?: string | null
}
export interface AgentReceipt extends Receipt {
  agent_id: string
  name: string
}
export interface CommandAgent {
  prompt: string
  task_slug?: string | null
  queue?: boolean
  session_id?: string | null
}
export interface CommandReceipt extends Receipt {
  command_id: string
  agent_id: string
  task_slug: string
  queued: boolean
}
export interface InterruptAgent {
  reason?: string
  session_id?: string | null
}

/** RFC 9457 problem details. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
}
