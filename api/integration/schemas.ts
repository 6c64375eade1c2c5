/**
 * The JSON schemas of the integration API: Fastify validates requests against them at the edge and
 * serialises responses through them, and @fastify/swagger publishes them as the OpenAPI document.
 */
import { LANGUAGES } from '../../platform/i18n.js';
import { PROGRAM_TEMPLATES } from '../../domain/program-templates.js';
import {
  DURATION_LIMITS,
  DURATION_SETTINGS,
  NUMBER_LIMITS,
  NUMBER_SETTINGS,
  PRESET_IDS,
  SWITCH_SETTINGS,
  TEXT_SETTINGS,
  CHOICE_SETTINGS,
} from '../../services/program-settings.js';
import { PRINTABLE_PATTERN } from '../../platform/text.js';

/** A programme's slug, as the database's check has it. */
export const PROGRAM_ID_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}$';

/**
 * An unknown field is refused by name rather than dropped in silence (Fastify's validator removes
 * properties only where `additionalProperties` is `false`): a typo such as `langauge` is told at once.
 */
const noOtherFields = { not: {}, description: 'No other fields are accepted.' } as const;

export const apiError = {
  $id: 'ApiError',
  type: 'object',
  description: 'What went wrong, for the integration to log.',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'The HTTP status text, such as "Bad Request".' },
    message: { type: 'string', description: 'What was wrong with the request, in English.' },
    field: {
      type: 'string',
      description: 'The field a 400 is about, such as `participants[2].email`.',
    },
  },
} as const;

const ERROR_TEXT: Record<number, string> = {
  400: 'The request is not valid; `field` names what is wrong.',
  401: 'No token, or an unknown or revoked one.',
  403: 'The token is scoped to another programme, or the route needs a token for every programme.',
  404: 'No such programme.',
  409: 'The request conflicts with what exists.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  429: 'Too many requests with this token; wait and try again.',
};

/** Response schemas for these error statuses, each the shared `ApiError`. */
export function errors(...codes: number[]) {
  return Object.fromEntries(
    codes.map((code) => [code, { description: ERROR_TEXT[code] ?? 'Error.', $ref: 'ApiError#' }]),
  );
}

export const programParams = {
  type: 'object',
  required: ['programId'],
  properties: {
    programId: { type: 'string', pattern: PROGRAM_ID_PATTERN, description: 'The programme’s id.' },
  },
} as const;

/**
 * A programme's settings, by the names of its settings page. Durations are ISO 8601; their limits are
 * checked after the types, and a value out of range is refused with the field named.
 */
const settingsProperties = Object.fromEntries([
  ...DURATION_SETTINGS.map((name) => [
    name,
    {
      type: 'string',
      maxLength: 40,
      description: `ISO 8601 duration from ${DURATION_LIMITS[name][0]} to ${DURATION_LIMITS[name][1]}.`,
    },
  ]),
  ...NUMBER_SETTINGS.map((name) => [
    name,
    { type: 'integer', minimum: NUMBER_LIMITS[name][0], maximum: NUMBER_LIMITS[name][1] },
  ]),
  ...SWITCH_SETTINGS.map((name) => [name, { type: 'boolean' }]),
  ...TEXT_SETTINGS.map((name) => [
    name,
    { type: 'string', maxLength: 1000, description: 'Email domains, comma-separated; empty: any address.' },
  ]),
  ...Object.entries(CHOICE_SETTINGS).map(([name, values]) => [name, { type: 'string', enum: [...values] }]),
]);

export const programSettings = {
  $id: 'ProgramSettings',
  type: 'object',
  description:
    'The timings relationships and cohorts pin when they start (those running keep theirs), manager endorsement, whether the mentor form takes offers, and how many days personal data is kept after a relationship closes.',
  properties: settingsProperties,
} as const;

/** A change of settings: any of them; the rest keep their values. */
export const settingsChange = {
  type: 'object',
  minProperties: 1,
  properties: settingsProperties,
  additionalProperties: noOtherFields,
} as const;

export const program = {
  $id: 'Program',
  type: 'object',
  required: ['id', 'name', 'model', 'language', 'applicationsOpen'],
  properties: {
    id: { type: 'string', pattern: PROGRAM_ID_PATTERN },
    name: { type: 'string' },
    model: { type: 'string', enum: ['one-to-one', 'group', 'learning-network'] },
    language: { type: 'string', enum: [...LANGUAGES], description: 'The programme’s language.' },
    applicationsOpen: {
      type: 'boolean',
      description:
        'Whether the application forms take applications. A new programme starts closed; its coordinator opens applications or a round on the programme page.',
    },
    template: { type: 'string', nullable: true, description: 'The template it was made from.' },
    settings: { $ref: 'ProgramSettings#' },
  },
} as const;

export const newProgram = {
  type: 'object',
  required: ['id', 'name', 'template', 'language', 'coordinatorEmail'],
  properties: {
    id: {
      type: 'string',
      pattern: PROGRAM_ID_PATTERN,
      description: 'A slug of your choice; it names the programme in URLs and cannot change.',
      examples: ['mentoring-2028'],
    },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: PRINTABLE_PATTERN,
      examples: ['Mentoring 2028'],
    },
    template: {
      type: 'string',
      enum: PROGRAM_TEMPLATES.map((t) => t.id),
      description: PROGRAM_TEMPLATES.map((t) => `\`${t.id}\`: ${t.description}`).join('\n\n'),
    },
    language: { type: 'string', enum: [...LANGUAGES] },
    coordinatorEmail: {
      type: 'string',
      format: 'email',
      maxLength: 254,
      description: 'Where the programme’s notifications go.',
    },
    preset: {
      type: 'string',
      enum: PRESET_IDS,
      description:
        'Timings instead of the template’s: `twelve-months`, `twenty-four-months`, or `demo` (a whole relationship in six minutes).',
    },
  },
  additionalProperties: noOtherFields,
} as const;

export const MAX_INVITATIONS = 500;

export const invitationsBody = {
  type: 'object',
  required: ['participants'],
  properties: {
    participants: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_INVITATIONS,
      items: {
        type: 'object',
        required: ['name', 'email', 'role'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200, pattern: PRINTABLE_PATTERN },
          email: { type: 'string', format: 'email', maxLength: 254 },
          role: {
            type: 'string',
            enum: ['mentee', 'mentor'],
            description: 'Which application form the email links to.',
          },
          language: {
            type: 'string',
            enum: [...LANGUAGES],
            description: 'The email’s language; the programme’s when absent.',
          },
        },
        additionalProperties: noOtherFields,
      },
    },
  },
  additionalProperties: noOtherFields,
} as const;

export const invitationsResult = {
  type: 'object',
  required: ['invited', 'alreadyInvited', 'workflowId'],
  properties: {
    invited: { type: 'integer', description: 'People invited now; each is emailed once.' },
    alreadyInvited: {
      type: 'integer',
      description:
        'People invited to this programme in the same role before (or twice in this request): not emailed again.',
    },
    workflowId: {
      type: 'string',
      nullable: true,
      description: 'The Temporal workflow sending the emails; null when no one new was invited.',
    },
  },
} as const;

export const relationships = {
  type: 'object',
  required: ['relationships'],
  properties: {
    relationships: {
      type: 'array',
      items: {
        type: 'object',
        required: ['workflowId', 'participantId', 'role', 'phase', 'waitingFor', 'status', 'submittedAt'],
        properties: {
          workflowId: {
            type: 'string',
            description:
              'The workflow of the application: `relationship-…` for a mentee, `mentor-…` for a mentor.',
          },
          participantId: { type: 'string', format: 'uuid' },
          role: { type: 'string', enum: ['mentee', 'mentor'] },
          phase: {
            type: 'string',
            nullable: true,
            description:
              'Where it stands: application, endorsement, interview, matching, kickoff, meetings, closure, closed (mentees); application, interview, pool, closed (mentors). Null while Temporal’s visibility store has not caught up.',
          },
          waitingFor: {
            type: 'string',
            nullable: true,
            description: 'Who it waits for: participant, coordinator or nobody.',
          },
          status: {
            type: 'string',
            enum: [
              'Running',
              'Completed',
              'Failed',
              'Canceled',
              'Terminated',
              'ContinuedAsNew',
              'TimedOut',
              'Paused',
              'Unknown',
            ],
            description: 'The workflow’s execution status.',
          },
          outcome: {
            type: 'string',
            description:
              'How a closed relationship ended: completed, declined, ended-by-coordinator, ended-org-change or erased. Absent while it runs.',
          },
          submittedAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

export const relationshipParams = {
  type: 'object',
  required: ['programId', 'workflowId'],
  properties: {
    programId: { type: 'string', pattern: PROGRAM_ID_PATTERN, description: 'The programme’s id.' },
    workflowId: {
      type: 'string',
      pattern: '^relationship-[a-z0-9-]{2,63}-[0-9a-f-]{36}$',
      description: 'The mentee’s relationship, as `GET /programs/{id}/relationships` lists it.',
    },
  },
} as const;

export const organisationalChange = {
  type: 'object',
  required: ['change'],
  properties: {
    change: {
      type: 'string',
      enum: ['same-unit', 'reporting-line'],
      description:
        '`same-unit`: mentor and mentee now work in the same unit; `reporting-line`: one now reports to the other.',
    },
  },
  additionalProperties: noOtherFields,
} as const;

export const organisationalChangeResult = {
  type: 'object',
  required: ['workflowId', 'pairEnded'],
  properties: {
    workflowId: { type: 'string' },
    pairEnded: {
      type: 'boolean',
      description: 'Always true: the pair ended and the mentee waits for a new mentor.',
    },
  },
} as const;
