// What `npm run check:api` compares: each route the SPA calls, and each SSE frame's data, against the backend schema.
// Names on the left are types in src/api/types.ts; on the right, what the OpenAPI document calls them.

/** Routes: their JSON response (first 2xx) and request body must equal our types. `null` = not compared. */
export const endpoints = [
  { method: 'get', path: '/api/state', response: 'StateSnapshot' },
  { method: 'get', path: '/get_events', response: 'EventsPage' },
  { method: 'get', path: '/api/events', response: 'EventsPage' },
  { method: 'post', path: '/load_chat', response: 'ChatPage' },
  { method: 'get', path: '/list_agents', response: 'AgentsPage' },
  { method: 'post', path: '/send_chat', body: 'SendChat', response: 'MessageReceipt' },
  { method: 'post', path: '/api/agents', body: 'CreateAgent', response: 'AgentReceipt' },
  { method: 'post', path: '/api/agents/{name}/commands', body: 'CommandAgent', response: 'CommandReceipt' },
  // Its body is optional (InterruptAgentBody | null), so only the answer is compared.
  { method: 'post', path: '/api/agents/{name}/interrupt', response: 'Receipt' },
  { method: 'delete', path: '/api/agents/{name}', response: 'Receipt' },
  { method: 'get', path: '/api/stream' },
]

/** Schema components (msgspec Struct names in read_api/): the rows, and the SSE frames, which the stream route declares
 * as `StreamFrames` (each `event:` name → its `data:`). Comparing StreamFrames covers every frame; the single frames are
 * listed too so that drift in one names it. */
export const components = {
  OrchestratorRow: 'OrchestratorRow',
  AgentRow: 'AgentRow',
  ChatRow: 'ChatRow',
  AgentLogRow: 'AgentLogRow',
  SystemLogRow: 'SystemLogRow',
  SlashCommand: 'SlashCommand',
  AgentTemplate: 'AgentTemplate',
  UsageDelta: 'UsageDelta',
  StreamFrames: 'StreamFrames',
  AgentCreatedFrame: 'AgentCreated',
  AgentUpdatedFrame: 'AgentUpdated',
  AgentStatusChangedFrame: 'AgentStatusChanged',
  AgentDeletedFrame: 'AgentDeleted',
  AgentLogFrame: 'AgentLog',
  OrchestratorChatFrame: 'OrchestratorChat',
  ThinkingBlockFrame: 'ThinkingBlock',
  ToolUseBlockFrame: 'ToolUseBlock',
  AgentSummaryUpdateFrame: 'AgentSummaryUpdate',
  OrchestratorUpdatedFrame: 'OrchestratorUpdated',
  SystemLogFrame: 'SystemLog',
  ErrorFrame: 'ErrorNotice',
  ChatTypingFrame: 'ChatTyping',
  ChatStreamFrame: 'ChatStream',
}
