/** What a relationship workflow needs to know of its programme; pinned at application time. */
export interface ProgramSettings {
  /** How long a relationship runs after kickoff ("P12M", "P24M"). */
  duration: string;
  /** Time between meetings ("P1M"). */
  meetingCadence: string;
  /** How long before each meeting both are reminded, with a calendar invitation ("P3D"). */
  meetingReminderBefore: string;
  /** A form step waits this long before each reminder, and again before escalating to the coordinator. */
  formReminderAfter: string;
  /** Reminders to the participant before the coordinator is told. */
  formReminders: number;
  /** The mentee's manager is asked to endorse the application. */
  managerEndorsement: boolean;
  /**
   * The applicant confirms their own address through a link before the manager is written to (on
   * unless set false: a public form must not make the programme email any address anyone types).
   */
  confirmAddress?: boolean;
  /**
   * Meetings logged as not held in a row before both are reminded to meet; one more and the
   * coordinator is told (who may pause or end the relationship).
   */
  missedMeetingsBeforeReminder: number;
  /**
   * Who logs each meeting once it has ended: the mentee (as before there was a choice), the mentor, or
   * both (a meeting counts as held when either says so).
   */
  meetingLogBy?: MeetingLogBy;
  /**
   * The programme's time zone (IANA, such as "Europe/Oslo"): meetings a month or a fortnight apart keep
   * their local hour in it. Relationships that applied before programmes had one count in UTC.
   */
  timeZone?: string;
  /** The form versions pinned when the mentee applied (a coordinator's later edits reach only later relationships). */
  forms?: PinnedForms;
}

export const MEETING_LOG_BY = ['mentee', 'mentor', 'both'] as const;
export type MeetingLogBy = (typeof MEETING_LOG_BY)[number];

export interface FormRef {
  id: string;
  version: number;
}

/** The forms a relationship asks, by the part they play. */
export const FORM_IDS = {
  addressConfirmation: 'address-confirmation',
  managerEndorsement: 'manager-endorsement',
  agreement: 'mentoring-agreement',
  meetingLog: 'meeting-log',
  fitCheck: 'fit-check',
  midpoint: 'midpoint-feedback',
  finalEvaluation: 'final-evaluation',
} as const;

export type PinnedForms = Partial<Record<keyof typeof FORM_IDS, FormRef>>;

export const DEFAULT_SETTINGS: ProgramSettings = {
  duration: 'P12M',
  meetingCadence: 'P1M',
  meetingReminderBefore: 'P3D',
  formReminderAfter: 'P7D',
  formReminders: 2,
  managerEndorsement: true,
  missedMeetingsBeforeReminder: 2,
};
