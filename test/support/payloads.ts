/**
 * Hook stdin payloads for every event of the reference (shared/reference/claude-code-hooks.md),
 * written by hand from the documented fields: no real captures are copied here.
 */
export function payloadsFor(sessionId: string, transcriptPath: string): Record<string, Record<string, unknown>> {
  const common = { session_id: sessionId, transcript_path: transcriptPath, cwd: '/home/dev/app' };
  const tool = { tool_name: 'Bash', tool_input: { command: 'npm test', description: 'Run tests' }, tool_use_id: 'toolu_01' };
  const e = (name: string, fields: Record<string, unknown> = {}) => ({ ...common, hook_event_name: name, ...fields });
  return {
    SessionStart: e('SessionStart', { source: 'startup', model: 'claude-sonnet-4-5' }),
    Setup: e('Setup', { trigger: 'init' }),
    InstructionsLoaded: e('InstructionsLoaded', { file_path: '/home/dev/app/CLAUDE.md', memory_type: 'Project', load_reason: 'session_start' }),
    UserPromptSubmit: e('UserPromptSubmit', { permission_mode: 'default', prompt: 'Why does <script>alert(1)</script> render?' }),
    UserPromptExpansion: e('UserPromptExpansion', { expansion_type: 'slash_command', command_name: 'review', command_args: '', command_source: 'project', prompt: '/review' }),
    PreToolUse: e('PreToolUse', { ...tool, permission_mode: 'default', effort: { level: 'high' } }),
    PermissionRequest: e('PermissionRequest', { tool_name: 'Bash', tool_input: tool.tool_input, permission_suggestions: [{ type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'npm test' }], behavior: 'allow', destination: 'localSettings' }] }),
    PermissionDenied: e('PermissionDenied', { ...tool, reason: 'denied by rule' }),
    PostToolUse: e('PostToolUse', { ...tool, tool_response: { stdout: 'ok\n', stderr: '', interrupted: false, isImage: false }, duration_ms: 1234 }),
    PostToolUseFailure: e('PostToolUseFailure', { ...tool, error: 'Exit code 1\nFAIL', is_interrupt: false, duration_ms: 99 }),
    PostToolBatch: e('PostToolBatch', { tool_calls: [{ ...tool, tool_response: 'ok' }] }),
    Notification: e('Notification', { message: 'Claude needs your permission', title: 'Permission', notification_type: 'permission_prompt' }),
    MessageDisplay: e('MessageDisplay', { turn_id: 't1', message_id: 'msg_1', index: 0, final: false, delta: 'Hel' }),
    SubagentStart: e('SubagentStart', { agent_id: 'a1', agent_type: 'Explore' }),
    SubagentStop: e('SubagentStop', { stop_hook_active: false, agent_id: 'a1', agent_type: '', agent_transcript_path: `${transcriptPath}.agent`, last_assistant_message: 'done', background_tasks: [], session_crons: [] }),
    TaskCreated: e('TaskCreated', { task_id: 'task1', task_subject: 'Write tests', team_name: null }),
    TaskCompleted: e('TaskCompleted', { task_id: 'task1', task_subject: 'Write tests', teammate_name: 'bob' }),
    Stop: e('Stop', { stop_hook_active: false, last_assistant_message: 'All green.', background_tasks: [{ id: 'b1', type: 'shell', status: 'running', command: 'npm run dev' }], session_crons: [] }),
    StopFailure: e('StopFailure', { error: 'rate_limit', error_details: 'retry after 30s' }),
    TeammateIdle: e('TeammateIdle', { teammate_name: 'bob', team_name: 'core' }),
    ConfigChange: e('ConfigChange', { source: 'project_settings', file_path: '/home/dev/app/.claude/settings.json' }),
    CwdChanged: e('CwdChanged', { old_cwd: '/home/dev/app', new_cwd: '/home/dev/app/server' }),
    FileChanged: e('FileChanged', { file_path: '/home/dev/app/a.ts', event: 'change' }),
    DirectoryAdded: e('DirectoryAdded', { directory: '/home/dev/lib', source: 'slash_command' }),
    WorktreeCreate: e('WorktreeCreate', { name: 'feature-x' }),
    WorktreeRemove: e('WorktreeRemove', { worktree_path: '/home/dev/app-feature-x' }),
    PreCompact: e('PreCompact', { trigger: 'auto', custom_instructions: null }),
    PostCompact: e('PostCompact', { trigger: 'manual', compact_summary: 'Summary of the conversation' }),
    PreModelSwitch: e('PreModelSwitch', { from_model: 'claude-sonnet-4-5', to_model: 'claude-opus-4-1', requested_model: null, source: 'picker', context_tokens: 12000, prompt_cache_warm: true }),
    PostModelSwitch: e('PostModelSwitch', { from_model: 'claude-sonnet-4-5', to_model: 'claude-opus-4-1', source: 'resume' }),
    Elicitation: e('Elicitation', { mcp_server_name: 'db', message: 'Which table?', mode: 'form', requested_schema: { type: 'object' } }),
    ElicitationResult: e('ElicitationResult', { mcp_server_name: 'db', action: 'accept', content: { table: 'users' } }),
    SessionEnd: e('SessionEnd', { reason: 'prompt_input_exit' }),
  };
}
