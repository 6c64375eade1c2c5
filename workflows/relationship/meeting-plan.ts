/**
 * The pair's meeting plan, from the agreement both sign (version 2 on): how often they meet, when the
 * first meeting is, how long a meeting lasts and where. Whoever signs second confirms or changes the
 * plan the first one proposed, so the later signature's plan stands. What the pair leaves open, the
 * programme decides: its cadence, a first meeting one interval after kickoff, an hour, no place.
 */
import type { Answers } from '../messages.js';
import { isDuration, notLongerThan } from '../durations.js';
import { fromLocalDateTime, UTC } from '../local-time.js';
import type { ProgramSettings } from '../program-settings.js';

export interface MeetingPlan {
  /** Time between meetings (ISO 8601), never longer than the programme's cadence. */
  cadence: string;
  /** The first meeting's start (ms) as agreed, if the pair agreed one. */
  first?: number;
  /** How long a meeting lasts: its calendar entry, and when its log is asked. */
  minutes: number;
  /** A room, an address or a video link, for the calendar entries. */
  place?: string;
}

/** A meeting lasts an hour unless the pair agrees otherwise. */
export const MEETING_MINUTES = 60;

/** The plan of the programme alone: what a relationship whose agreement says nothing of it follows. */
export function programmePlan(settings: ProgramSettings): MeetingPlan {
  return { cadence: settings.meetingCadence, minutes: MEETING_MINUTES };
}

/**
 * The plan the signatures agree, the later one's standing; times are on the programme's clock (the
 * agreement page says so). An answer the programme does not allow (a rarer rhythm) is not followed.
 */
export function agreedPlan(signed: Answers[], settings: ProgramSettings): MeetingPlan {
  const plan = programmePlan(settings);
  const answers = signed.at(-1);
  if (!answers) return plan;
  const text = (name: string) => {
    const v = answers[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const frequency = text('frequency');
  if (frequency && isDuration(frequency) && notLongerThan(frequency, settings.meetingCadence))
    plan.cadence = frequency;
  const first = fromLocalDateTime(text('firstMeeting') ?? '', settings.timeZone ?? UTC);
  if (first !== undefined) plan.first = first;
  const minutes = Number(text('meetingMinutes'));
  if (Number.isInteger(minutes) && minutes >= 15 && minutes <= 240) plan.minutes = minutes;
  const place = text('place');
  if (place) plan.place = place;
  return plan;
}
