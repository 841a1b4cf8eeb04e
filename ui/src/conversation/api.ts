import type { ConversationSummary } from '../conversations/api.js';
import { api, query } from '../lib/http.js';

export type MessageKind = 'prompt' | 'command' | 'assistant' | 'tool' | 'notification' | 'compaction' | 'subagent' | 'session';

/** One timeline entry as `GET /api/conversations/:id/messages` sends it (see projections/messages/index.ts). */
export interface Message {
  key: string;
  kind: MessageKind;
  sessionId: string;
  at: string;
  /** Log positions of the events it was built from, ascending. */
  sources: number[];
  agentId?: string;
  /** The workflow (`wf_<id>`) whose agent wrote it. */
  workflow?: string;
  truncated?: true;
  text?: string;
  /** Documents folded into this one by the server (a prompt's hook): no longer shown on their own. */
  pairedKeys?: string[];
  thinking?: string;
  model?: string;
  messageId?: string;
  usage?: unknown;
  stopReason?: string;
  toolUseId?: string;
  toolName?: string;
  input?: unknown;
  result?: unknown;
  resultFrom?: 'hook' | 'transcript';
  error?: string;
  status?: 'running' | 'ok' | 'failed';
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  childAgentId?: string;
  title?: string;
  notificationType?: string;
  stage?: 'pre' | 'post' | 'boundary';
  trigger?: string;
  instructions?: string;
  preTokens?: number;
  agentType?: string;
  event?: 'start' | 'end';
  source?: string;
  reason?: string;
}

export interface MessagePage {
  items: Message[];
  nextCursor: string | null;
  hasMore: boolean;
}

export interface ModelTokens {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  costUsd: number;
}

export type ConversationDetail = ConversationSummary & { tokens: { byModel: Record<string, ModelTokens> } };

const path = (sessionId: string) => `/api/conversations/${encodeURIComponent(sessionId)}`;

export const fetchConversation = (sessionId: string) => api<ConversationDetail>(path(sessionId));

export type FetchMessages = (sessionId: string, after: string | null, limit: number) => Promise<MessagePage>;

export const fetchMessages: FetchMessages = (sessionId, after, limit) => api<MessagePage>(`${path(sessionId)}/messages${query({ after, limit })}`);

/** The page holding one message (a deep link's), with `prevCursor` to read back from it. */
export const fetchMessagesAround = (sessionId: string, key: string, limit: number) =>
  api<MessagePage & { prevCursor: string | null; hasBefore: boolean }>(`${path(sessionId)}/messages${query({ around: key, limit })}`);

/** One stored event, as `GET /api/events/:position` sends it. */
export interface StoredEvent {
  position: number;
  requestId: string;
  type: string;
  sessionId: string;
  capturedAt: string;
  receivedAt: string;
  payload: unknown;
  client: unknown;
}

export const fetchEvent = (position: number) => api<StoredEvent>(`/api/events/${position}`);
