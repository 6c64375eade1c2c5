/**
 * How every participant enters a programme, mentee or mentor: the application arrives as the
 * update-with-start that created the workflow, and the coordinator records the interview's outcome.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { activities } from './activities.js';
import {
  ALREADY_APPLIED,
  recordInterview,
  submitApplication,
  type Answers,
  type ApplicationReceipt,
  type InterviewRecord,
} from './messages.js';
import { refuse, Refusal } from './refusals.js';

export class Intake {
  application: ApplicationReceipt | undefined;
  /** The answers as submitted; the workflow reads the few it decides on (a mentor's capacity, say). */
  answers: Answers = {};
  #taken = false;
  #interviewOpen = false;
  #interview: InterviewRecord | undefined;

  constructor(
    programId: string,
    participantId: string,
    role: 'mentee' | 'mentor',
    /** The application an earlier run of the workflow received: a second one is turned away. */
    received?: ApplicationReceipt,
  ) {
    this.application = received;
    this.#taken = received !== undefined;
    setHandler(
      submitApplication,
      async (submission) => {
        this.#taken = true;
        this.answers = submission.answers;
        this.application = await activities.recordApplication({
          ...submission,
          programId,
          participantId,
          role,
        });
        return this.application;
      },
      {
        validator: (_submission) => {
          // Only a different submission reaches this: the same one is deduplicated by its Update ID.
          if (this.#taken) refuse(Refusal.alreadyApplied, ALREADY_APPLIED);
        },
      },
    );
    setHandler(
      recordInterview,
      (record) => {
        this.#interview = record;
      },
      {
        validator: (record) => {
          if (!this.#interviewOpen || this.#interview)
            refuse(Refusal.noInterviewWaiting, 'no interview is waiting for an outcome');
          if (record.outcome === 'declined' && !record.reason.trim())
            refuse(Refusal.reasonNeeded, 'a declined application needs a reason');
          if (!record.by?.userId) refuse(Refusal.noActor, 'an interview record must say who made it');
        },
      },
    );
  }

  async received(): Promise<ApplicationReceipt> {
    await condition(() => this.application !== undefined);
    return this.application!;
  }

  async interview(): Promise<InterviewRecord> {
    this.#interviewOpen = true;
    await condition(() => this.#interview !== undefined);
    this.#interviewOpen = false;
    return this.#interview!;
  }
}
