// Chinwag's JavaScript API on the host page (see docs/embedding.md).
// Served at https://CHAT-HOST/widget/chinwag.d.ts; copy it next to your code, or
// reference it with /// <reference path="chinwag.d.ts" />.

/** Attributes describe the visitor; values are kept as text. `email` makes a known lead. */
export interface ChinwagAttributes {
  email?: string;
  /** A full name; its first word also becomes `first_name` unless you give one. */
  name?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  company?: string;
  [attribute: string]: string | number | boolean | null | undefined;
}

export type ChinwagEventType =
  | 'triggered' | 'engaged' | 'completed' | 'closed' | 'message' | 'leadCaptured'
  | 'meetingBooked' | 'meetingRescheduled' | 'meetingCancelled';

export interface ChinwagEvent {
  type: ChinwagEventType;
  /** The id of the dialogue the event belongs to. */
  dialogue: string;
  /** `message` only: who wrote it. */
  from?: 'bot' | 'visitor' | 'agent';
  /** `message` only: the text, as the visitor sees it. */
  text?: string;
  /** `leadCaptured` only: what the visitor gave in the dialogue (email, name, ...). */
  attributes?: Record<string, string>;
  /** `meeting…` only: the meeting's id (stable across reschedules). */
  id?: string;
  /** `meeting…` only: when it starts and ends (ISO 8601, UTC). */
  start?: string;
  end?: string;
}

export type ChinwagListener = (event: ChinwagEvent) => void;

export interface ChinwagCommand {
  (command: 'open' | 'close' | 'toggle' | 'shutdown'): void;
  (command: 'identify' | 'setAttributes', attributes: ChinwagAttributes): void;
  (command: 'startDialogue', dialogueId: string): void;
  (command: 'on', event: ChinwagEventType, listener: ChinwagListener): void;
  /** Calls made before the loader runs, kept by the snippet's stub. */
  q?: IArguments[];
}

declare global {
  interface Window {
    Chinwag: ChinwagCommand;
  }
  const Chinwag: ChinwagCommand;
}
