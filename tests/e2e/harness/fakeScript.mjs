// The fake backend's seeded session and its scripted orchestrator: a sim-like run with an agent, hooks, diffs and costs.

export const SESSION_ID = 'sess-e2e-0001'

export function agentRow(id, name, overrides = {}) {
  const now = new Date().toISOString()
  return {
    id,
    orchestrator_agent_id: SESSION_ID,
    name,
    model: 'sonnet',
    system_prompt: '',
    template: null,
    working_dir: '/work/demo',
    status: 'idle',
    session_id: null,
    input_tokens: 0,
    output_tokens: 0,
    total_cost: 0,
    budget_usd: null,
    archived: false,
    latest_summary: null,
    log_count: 0,
    metadata: {},
    created_at: now,
    updated_at: now,
    position: 0,
    ...overrides,
  }
}

export function agentLog(agent, index, overrides = {}) {
  return {
    id: `${agent.id}-log-${index}`,
    agent_id: agent.id,
    agent_name: agent.name,
    orchestrator_agent_id: SESSION_ID,
    session_id: null,
    task_slug: 'task',
    entry_index: index,
    event_category: 'hook',
    event_type: 'PreToolUse',
    content: null,
    summary: null,
    payload: { tool_name: 'Read' },
    timestamp: new Date().toISOString(),
    position: 0,
    ...overrides,
  }
}

export function seedState() {
  const now = new Date().toISOString()
  return {
    orchestrator: {
      id: SESSION_ID,
      session_id: null,
      system_prompt: '',
      status: 'idle',
      working_dir: '/work/demo',
      model: 'sonnet',
      input_tokens: 0,
      output_tokens: 0,
      total_cost: 0,
      agents_cost: 0,
      budget_usd: null,
      archived: false,
      metadata: {},
      created_at: now,
      updated_at: now,
      position: 0,
    },
    agents: new Map(),
    chat: [],
    slashCommands: [
      { name: 'plan', description: 'Plan a feature', argument_hint: '' },
      { name: 'review', description: 'Review the working tree', argument_hint: '' },
    ],
    templates: [{ name: 'tester', description: 'Writes tests', model: 'haiku', color: '#39c5cf', tools: [] }],
  }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => new Date().toISOString()

export function usage(total_cost, input_tokens, output_tokens) {
  return { input_tokens, output_tokens, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, total_cost }
}

/** What the orchestrator does after a message: think, stream a reply, create an agent that reads and edits a file. */
export async function replyScript({ append, emitEphemeral, state, chatRow }, message) {
  const turn = state.chat.length
  emitEphemeral('chat_typing', { is_typing: true, session_id: SESSION_ID })
  append('thinking_block', { id: `think-${turn}`, thinking: `The user said: ${message}`, reply_to: null, timestamp: now() })
  const reply = 'On it: creating a builder agent.'
  for (const chunk of reply.match(/.{1,8}/g)) {
    emitEphemeral('chat_stream', { block_id: `reply-${turn}`, chunk, session_id: SESSION_ID })
    await pause(10)
  }
  append('orchestrator_chat', { message: chatRow(`reply-${turn}`, 'orchestrator', 'user', reply) })
  append('tool_use_block', { id: `tool-${turn}`, tool_use_id: `tu-${turn}`, tool_name: 'mcp__mgmt__create_agent', tool_input: { name: 'builder' }, reply_to: null, timestamp: now() })
  const agent = agentRow(`agent-${turn}`, state.agents.has(`agent-${turn}`) ? `builder${turn}` : 'builder')
  append('agent_created', { agent })
  append('agent_status_changed', { agent_id: agent.id, name: agent.name, old_status: 'idle', new_status: 'executing', reason: 'commanded', timestamp: now() })
  append('agent_log', { log: agentLog(agent, 0, { summary: 'Reads the README', payload: { tool_name: 'Read', tool_input: { file_path: 'README.md' } } }) })
  const diff = '--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # Demo\n+<img src=x onerror="window.__xss=1">'
  append('agent_log', {
    log: agentLog(agent, 1, {
      event_type: 'PostToolUse',
      summary: 'Edited README.md',
      content: '<script>window.__xss=1</script>',
      payload: { tool_name: 'Edit', files: { read: ['README.md'], changed: [{ path: 'README.md', diff }] } },
    }),
  })
  append('agent_log', { log: agentLog(agent, 2, { event_type: 'PostToolUseFailure', summary: 'Bash failed', payload: { tool_name: 'Bash', is_error: true } }) })
  append('agent_summary_update', { agent_id: agent.id, summary: 'Edited README.md', subject_id: `${agent.id}-log-1`, subject_kind: 'hook' })
  const delta = usage(0.0123, 1200, 340)
  const result = agentLog(agent, 3, {
    event_category: 'response',
    event_type: 'result',
    content: 'Edited the README.',
    payload: { usage: { input_tokens: 1200, output_tokens: 340, cost_usd: 0.0123 }, duration_ms: 900, num_turns: 3, is_error: false },
  })
  append('agent_updated', { agent_id: agent.id, name: agent.name, delta, duration_ms: 900, num_turns: 3, is_error: false, log: result })
  append('agent_status_changed', { agent_id: agent.id, name: agent.name, old_status: 'executing', new_status: 'idle', reason: 'turn finished', timestamp: now() })
  emitEphemeral('chat_typing', { is_typing: false, session_id: SESSION_ID })
  append('orchestrator_updated', { session_id: SESSION_ID, working_dir: null, model: null, delta: usage(0.002, 500, 60) })
}
