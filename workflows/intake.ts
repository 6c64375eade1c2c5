/**
 * How every participant enters a programme, mentee or mentor: the application arrives as the
 * update-with-start that created the workflow, and the coordinator records the interview's outcome.
 * The workflow registers the two Updates (`submitApplication`, `recordInterview`) itself, in its handler
 * block, with the methods below.
 */
import { condition, patched, uuid4 } from '@temporalio/workflow';
import { activities } from './activities.js';
import type { Answers, ApplicationReceipt, FormSubmission, InterviewRecord } from './messages.js';
import { RECEIPT_FIRST } from './patches.js';
import { refuse, Refusal } from './refusals.js';

export class Intake {
  application: ApplicationReceipt | undefined;
  /** The answers as submitted; the workflow reads the few it decides on (a mentor's capacity, say). */
  answers: Answers = {};
  #taken = false;
  #interviewOpen = false;
  #interview: InterviewRecord | undefined;
  /** The answers on their way to the database; the workflow goes on once they are there. */
  #stored: Promise<unknown> | undefined;

  constructor(
    private readonly programId: string,
    private readonly participantId: string,
    private readonly role: 'mentee' | 'mentor',
    /** The application an earlier run of the workflow received: a second one is turned away. */
    received?: ApplicationReceipt,
  ) {
    this.application = received;
    this.#taken = received !== undefined;
  }

  /** The `submitApplication` validator: one application per workflow. */
  checkApplication(_submission: FormSubmission): void {
    // Only a different submission reaches this: the same one is deduplicated by its Update ID.
    if (this.#taken) refuse(Refusal.alreadyApplied, 'this application has already been received');
  }

  /**
   * The `submitApplication` Update: the receipt is its result. It is made here, from workflow state, so
   * the applicant has it after one workflow task; the answers are stored by an activity scheduled in the
   * same task (a row keyed by the workflow, with the receipt's id and time).
   */
  async apply(submission: FormSubmission): Promise<ApplicationReceipt> {
    this.#taken = true;
    this.answers = submission.answers;
    const input = {
      ...submission,
      programId: this.programId,
      participantId: this.participantId,
      role: this.role,
    };
    if (patched(RECEIPT_FIRST)) {
      const id = uuid4();
      const receipt = { reference: id.slice(0, 8).toUpperCase(), submittedAt: new Date().toISOString() };
      this.#stored = activities.recordApplication({ ...input, id, submittedAt: receipt.submittedAt });
      this.application = receipt;
      return receipt;
    }
    this.application = await activities.recordApplication(input);
    return this.application;
  }

  /** The `recordInterview` validator: only while the workflow waits for the interview, once. */
  checkInterview(record: InterviewRecord): void {
    if (!this.#interviewOpen || this.#interview)
      refuse(Refusal.noInterviewWaiting, 'no interview is waiting for an outcome');
    if (record.outcome === 'declined' && !record.reason.trim())
      refuse(Refusal.reasonNeeded, 'a declined application needs a reason');
    if (!record.by?.userId) refuse(Refusal.noActor, 'an interview record must say who made it');
  }

  /** The `recordInterview` Update: the coordinator's outcome, which the waiting workflow takes. */
  recordInterview(record: InterviewRecord): void {
    this.#interview = record;
  }

  /** The application, once received and its answers stored. */
  async received(): Promise<ApplicationReceipt> {
    await condition(() => this.application !== undefined);
    // Only on the new path: an await more on the old one would move its commands against its histories.
    if (this.#stored) await this.#stored;
    return this.application!;
  }

  async interview(): Promise<InterviewRecord> {
    this.#interviewOpen = true;
    await condition(() => this.#interview !== undefined);
    this.#interviewOpen = false;
    return this.#interview!;
  }
}
