/**
 * Every way a workflow turns a request down, as a failure type. Validators throw them; the pages word
 * each type in the reader's language (catalogue `refusal.<type>`), and the message stays English for
 * logs and the integration API. A rejected Update never enters history, so types can change freely.
 */
import { ApplicationFailure } from '@temporalio/workflow';

export const Refusal = {
  noActor: 'NoActor',
  reasonNeeded: 'ReasonNeeded',
  relationshipClosed: 'RelationshipClosed',
  noPairToEnd: 'NoPairToEnd',
  notInThePair: 'NotInThePair',
  unknownChange: 'UnknownChange',
  alreadyPaused: 'AlreadyPaused',
  notPaused: 'NotPaused',
  alreadyApplied: 'AlreadyApplied',
  noInterviewWaiting: 'NoInterviewWaiting',
  stepNotOpen: 'StepNotOpen',
  stepAlreadyAnswered: 'StepAlreadyAnswered',
  stepFormChanged: 'StepFormChanged',
  stepCannotEnd: 'StepCannotEnd',
  mentorNotInPool: 'MentorNotInPool',
  alreadyAssigned: 'AlreadyAssigned',
  mentorFull: 'MentorFull',
  notInProgramme: 'NotInProgramme',
  roundClosed: 'RoundClosed',
  roundFull: 'RoundFull',
  pairedTwice: 'PairedTwice',
  roundNotMatching: 'RoundNotMatching',
  proposalEmpty: 'ProposalEmpty',
  noProposal: 'NoProposal',
  proposalChanged: 'ProposalChanged',
  cohortReporting: 'CohortReporting',
  cohortClosed: 'CohortClosed',
  enrolmentClosed: 'EnrolmentClosed',
  noSuchEnrolment: 'NoSuchEnrolment',
  notInCohort: 'NotInCohort',
  noSuchGathering: 'NoSuchGathering',
  gatheringBegun: 'GatheringBegun',
  dateInPast: 'DateInPast',
  gatheringOrder: 'GatheringOrder',
  attendanceNotDue: 'AttendanceNotDue',
  notAMember: 'NotAMember',
  meetingNotAhead: 'MeetingNotAhead',
  meetingTimeInvalid: 'MeetingTimeInvalid',
} as const;
export type Refusal = (typeof Refusal)[keyof typeof Refusal];

/** Turns the request down: `type` says why to the pages, `message` to logs and API clients. */
export function refuse(type: Refusal, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
