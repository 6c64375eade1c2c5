/**
 * Each workflow's versioning behaviour under Worker Deployment Versioning (platform/temporal/deployment.ts):
 * which build runs a workflow's next task once a new build is current.
 *
 * All of them upgrade automatically: their next task runs on the current build, and a change to one of
 * them is made behind `patched()` (workflows/patches.ts), proven by the replay of recorded histories.
 * Relationships, mentors, rounds and cohorts wait for people for months or two years; no build lives
 * that long. The short ones (the history archive and retention sweeps, a data export, a batch of
 * invitations, each done within minutes) could be pinned to the build they started on, but a pinned run
 * waits for workers of its build, and the deployments this project describes keep none once the next is
 * current: `npm start` is one process, a rolling deploy replaces every worker, and a Lambda worker is
 * invoked for the current version. A stranded sweep would hold its schedule (it skips while a run is
 * open), and a stranded export or invitation batch would leave people without their email.
 */
import { setWorkflowOptions } from '@temporalio/workflow';
import type { VersioningBehavior } from '@temporalio/common';
import type * as registered from './index.js';
import { historyArchiveWorkflow } from './archive.js';
import { cohortWorkflow } from './cohort.js';
import { dataExportWorkflow } from './data-export.js';
import { invitationsWorkflow } from './invitations.js';
import { mentorWorkflow } from './mentor.js';
import { relationshipWorkflow } from './relationship.js';
import { retentionSweepWorkflow } from './retention.js';
import { programRoundWorkflow } from './round.js';

/** Every workflow the worker registers (the compiler asks for each export of index.ts), with its behaviour. */
export const VERSIONING_BEHAVIOURS: {
  [name in keyof typeof registered]: [workflow: (typeof registered)[name], behaviour: VersioningBehavior];
} = {
  relationshipWorkflow: [relationshipWorkflow, 'AUTO_UPGRADE'],
  mentorWorkflow: [mentorWorkflow, 'AUTO_UPGRADE'],
  programRoundWorkflow: [programRoundWorkflow, 'AUTO_UPGRADE'],
  cohortWorkflow: [cohortWorkflow, 'AUTO_UPGRADE'],
  retentionSweepWorkflow: [retentionSweepWorkflow, 'AUTO_UPGRADE'],
  dataExportWorkflow: [dataExportWorkflow, 'AUTO_UPGRADE'],
  invitationsWorkflow: [invitationsWorkflow, 'AUTO_UPGRADE'],
  historyArchiveWorkflow: [historyArchiveWorkflow, 'AUTO_UPGRADE'],
};

for (const [workflow, versioningBehavior] of Object.values(VERSIONING_BEHAVIOURS))
  setWorkflowOptions({ versioningBehavior }, workflow as (...args: never[]) => Promise<unknown>);
