import { Context } from '@temporalio/activity';

/** The business key of the workflow that called this activity. */
export function callingWorkflowId(): string {
  const id = Context.current().info.workflowExecution?.workflowId;
  if (!id) throw new Error('this activity runs only on behalf of a workflow');
  return id;
}
