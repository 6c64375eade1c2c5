/**
 * A programme's settings page: the timings relationships and cohorts pin when they start, a preset to
 * fill them in one go, the inactivity ladder, manager endorsement, whether mentors can offer themselves,
 * and retention. A coordinator of the programme changes them; a reader sees them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TFunction } from 'i18next';
import { canCoordinateProgram } from '../../services/accounts.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { matchingFields } from './matching-review.js';
import { matchingSchema } from './rounds.js';
import {
  DURATION_LIMITS,
  DURATION_SETTINGS,
  editableSettings,
  matchingSettings,
  saveMatchingSettings,
  NUMBER_LIMITS,
  NUMBER_SETTINGS,
  PRESET_IDS,
  saveSettings,
  settingsFromForm,
  settingsProblems,
  SWITCH_SETTINGS,
  TEXT_SETTINGS,
  CHOICE_SETTINGS,
  type ChoiceSetting,
  type EditableSettings,
  type SettingName,
} from '../../services/program-settings.js';

const params = {
  type: 'object',
  required: ['programId'],
  properties: { programId: { type: 'string', maxLength: 63 } },
} as const;
type Request = FastifyRequest<{ Params: { programId: string }; Body: Record<string, unknown> }>;

/** Which settings a programme of this model has: a learning network has cohorts, not relationships. */
function sectionsOf(model: string): { id: string; fields: SettingName[] }[] {
  const intake = {
    id: 'intake',
    fields: ['takesMentors', 'managerEndorsement', 'confirmAddress', 'emailDomains'] as SettingName[],
  };
  const retention = { id: 'retention', fields: ['retentionDays'] as SettingName[] };
  if (model === 'learning-network')
    return [
      {
        id: 'cohort',
        fields: [
          'timeZone',
          'cohortReminderBefore',
          'cohortHomeworkDueBefore',
          'cohortFormReminderAfter',
          'cohortFormReminders',
        ],
      },
      retention,
    ];
  return [
    {
      id: 'timings',
      fields: ['timeZone', 'duration', 'meetingCadence', 'meetingReminderBefore', 'meetingLogBy'],
    },
    { id: 'ladder', fields: ['formReminderAfter', 'formReminders', 'missedMeetingsBeforeReminder'] },
    intake,
    retention,
  ];
}

/** The fields of the page, each with its label, hint, limits, value and error. */
function fieldsOf(
  t: TFunction,
  model: string,
  values: Record<string, unknown>,
  errors: Partial<Record<SettingName, string>>,
) {
  return sectionsOf(model).map(({ id, fields }) => ({
    legend: t(`settings.section.${id}`),
    fields: fields.map((name) => {
      const kind = (DURATION_SETTINGS as readonly string[]).includes(name)
        ? 'duration'
        : (NUMBER_SETTINGS as readonly string[]).includes(name)
          ? 'number'
          : (TEXT_SETTINGS as readonly string[]).includes(name)
            ? 'text'
            : name in CHOICE_SETTINGS
              ? 'choice'
              : 'switch';
      const limits =
        kind === 'duration'
          ? DURATION_LIMITS[name as keyof typeof DURATION_LIMITS]
          : kind === 'number'
            ? NUMBER_LIMITS[name as keyof typeof NUMBER_LIMITS]
            : undefined;
      return {
        name,
        kind,
        label: t(`settings.field.${name}`),
        hint: t(`settings.hint.${name}`, limits ? { min: limits[0], max: limits[1] } : {}),
        value: values[name],
        checked: values[name] === true || values[name] === 'on',
        options:
          kind === 'choice'
            ? CHOICE_SETTINGS[name as ChoiceSetting].map((value) => ({
                value,
                label: t(`settings.option.${name}.${value}`),
                selected: values[name] === value,
              }))
            : undefined,
        error: errors[name],
      };
    }),
  }));
}

export async function settingsRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;
  const tr = (request: FastifyRequest) => translator(pickLanguage(request.pageContext.lang));

  async function programOf(programId: string) {
    const [program] = await sql<
      { id: string; name: string; model: string; settings: unknown; retention_days: number }[]
    >`select id, name, model, settings, retention_days from programs where id = ${programId}`;
    return program;
  }

  async function show(
    request: Request,
    reply: FastifyReply,
    extra: {
      values?: Record<string, unknown>;
      errors?: { id: string; message: string }[];
      matchingValues?: Record<string, unknown>;
      matchingErrors?: { id: string; message: string }[];
    } = {},
    code = 200,
  ) {
    const t = tr(request);
    const program = await programOf(request.params.programId);
    if (!program) return reply.callNotFound();
    const current = editableSettings(program.settings, program.retention_days);
    const fieldErrors = Object.fromEntries((extra.errors ?? []).map((e) => [e.id, e.message]));
    const saved = (request.query as { saved?: string } | undefined)?.saved === '1';
    return reply.page(
      'admin-program-settings',
      {
        title: t('settings.title', { programme: program.name }),
        program,
        canCoordinate: canCoordinateProgram(request.adminUser!, program.id),
        presets: PRESET_IDS.map((id) => ({ id, label: t(`settings.preset.${id}`) })),
        sections: fieldsOf(t, program.model, extra.values ?? formOf(current), fieldErrors),
        errors: extra.errors ?? [],
        saved: saved && !extra.errors && !extra.matchingErrors,
        // A learning network matches no one: its page has no matching rules.
        matching:
          program.model === 'learning-network'
            ? undefined
            : matchingFields(matchingSettings(program.settings), extra.matchingValues),
        matchingErrors: extra.matchingErrors,
      },
      code,
    );
  }

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId/settings',
    { config: { access: 'program-reader' }, schema: { params } },
    (request, reply) => show(request as Request, reply),
  );

  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/settings',
    { config: { access: 'program-coordinator' }, schema: { params } },
    async (request, reply) => {
      const t = tr(request);
      const program = await programOf(request.params.programId);
      if (!program) return reply.callNotFound();
      const current = editableSettings(program.settings, program.retention_days);
      const body = request.body ?? {};
      // A learning network's page has no relationship fields (and the reverse): those keep their values.
      const shown = new Set(sectionsOf(program.model).flatMap((s) => s.fields));
      const sentFields = Object.fromEntries(
        Object.entries(body).filter(([name]) => shown.has(name as SettingName) || name === 'preset'),
      );
      const merged = { ...formOf(current), ...sentFields };
      // A text left out reads as emptied; a choice left out (a page from before it existed) stays as it is.
      for (const name of shown)
        if (!(name in body) && !isSwitch(name) && !(name in CHOICE_SETTINGS)) merged[name] = '';
      for (const name of shown) if (isSwitch(name)) merged[name] = body[name] === 'on' ? 'on' : '';
      const settings = settingsFromForm(merged, current);
      const problems = settingsProblems(t, settings);
      if (problems.length > 0)
        return show(
          request,
          reply,
          {
            values: { ...formOf(current), ...sentFields, ...switchesOf(body, shown) },
            errors: problems.map((p) => ({ id: p.field, message: p.message })),
          },
          400,
        );
      await saveSettings(sql, program.id, settings);
      request.log.info({ programId: program.id, by: request.adminUser!.id }, 'programme settings changed');
      return reply.redirect(
        `${basePath(config.publicUrl)}admin/programs/${program.id}/settings?saved=1`,
        303,
      );
    },
  );

  // The rules and weights every matching run of the programme starts from (a round's, the pool's suggestions).
  app.post<{ Params: { programId: string }; Body: Record<string, unknown> }>(
    '/programs/:programId/settings/matching',
    { config: { access: 'program-coordinator' }, schema: { params } },
    async (request, reply) => {
      const program = await programOf(request.params.programId);
      if (!program || program.model === 'learning-network') return reply.callNotFound();
      const parsed = matchingSchema(tr(request)).safeParse(request.body ?? {});
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues)
          fieldErrors[String(issue.path[0] ?? 'objective')] ??= issue.message;
        return show(
          request as Request,
          reply,
          {
            matchingValues: request.body,
            matchingErrors: Object.entries(fieldErrors).map(([id, message]) => ({ id, message })),
          },
          400,
        );
      }
      await saveMatchingSettings(sql, program.id, parsed.data.settings);
      request.log.info(
        { programId: program.id, by: request.adminUser!.id },
        'programme matching settings changed',
      );
      return reply.redirect(
        `${basePath(config.publicUrl)}admin/programs/${program.id}/settings?saved=1#matching`,
        303,
      );
    },
  );
}

const isSwitch = (name: string) => (SWITCH_SETTINGS as readonly string[]).includes(name);
/** The settings as the form's fields send them: text, and "on" for a ticked box. */
function formOf(s: EditableSettings): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(s).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'on' : '') : String(v)]),
  );
}
function switchesOf(body: Record<string, unknown>, shown: Set<SettingName>) {
  return Object.fromEntries(
    [...shown].filter(isSwitch).map((name) => [name, body[name] === 'on' ? 'on' : '']),
  );
}
