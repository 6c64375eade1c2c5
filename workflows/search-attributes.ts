/**
 * The only fields Temporal's visibility store sees. They are never encrypted, so they hold codes and
 * IDs, never a name, an email address or free text.
 */
import { defineSearchAttributeKey } from '@temporalio/common';

export const ProgramId = defineSearchAttributeKey('ProgramId', 'KEYWORD');
/** Where a relationship or cohort is in its program: application, interview, matching, … closed. */
export const Phase = defineSearchAttributeKey('Phase', 'KEYWORD');
/** Who the workflow waits for: participant, coordinator, nobody (active) or done. */
export const WaitingFor = defineSearchAttributeKey('WaitingFor', 'KEYWORD');

export const searchAttributes = [ProgramId, Phase, WaitingFor];
