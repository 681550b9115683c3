"""The agent runtime: orchestrator and worker agents on the Claude Agent SDK, and the offline model server."""
