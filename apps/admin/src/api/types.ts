/**
 * Shapes of the API answers this app reads that are not (yet) typed through
 * `@mailroom/api/client`. They mirror docs/api.md; keep them in step with it.
 */
import type { TemplateField, TemplateStatus } from '@mailroom/domain';

export interface FolderInfo {
  path: string;
  name: string;
  delimiter?: string;
  specialUse: string | null;
  selectable?: boolean;
  messages: number | null;
}

export interface ConnectionTestStep {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface ConnectionTestReport {
  ok: boolean;
  steps: ConnectionTestStep[];
  /** `{ IDLE: true, MOVE: false, ... }`; older answers may send a list of names. */
  capabilities: Record<string, boolean> | string[];
  folders: FolderInfo[];
  totalMs?: number;
  error?: { code: string; message: string; phase?: string } | null;
}

export interface LedgerEntry {
  id: string;
  folder: string;
  uid: number;
  messageId: string | null;
  outcome: string;
  reasonCode: string;
  reasonDetail: string;
  error?: string | null;
  ticketId: string | null;
  ticketNumber?: number | null;
  fromAddress: string | null;
  subject: string | null;
  size?: number | null;
  postAction?: string;
  postActionState?: string;
  createdAt: string;
}

export interface LedgerPage {
  items: LedgerEntry[];
  nextCursor: string | null;
}

export interface TemplateView {
  id: string;
  name: string;
  status: TemplateStatus;
  fields: TemplateField[];
}

export interface NamedItem {
  id: string;
  name: string;
  description?: string | null;
}
