/** An administrator starts a programme from one of the ready templates. */
import type { FastifyInstance } from 'fastify';
import type { TFunction } from 'i18next';
import { z } from 'zod';
import { pickLanguage, translator, type Language } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';
import { findTemplate, PROGRAM_TEMPLATES, templateIn } from '../../domain/program-templates.js';
import { createProgram } from '../../services/programs.js';
import { PRESET_IDS, type PresetId } from '../../services/program-settings.js';

const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'nb', name: 'Norsk (bokmål)' },
  { code: 'da', name: 'Dansk' },
  { code: 'sv', name: 'Svenska' },
  { code: 'nl', name: 'Nederlands' },
];

/** The new programme's schema, its messages in the administrator's language. */
const newProgramSchema = (t: TFunction) =>
  z
    .object({
      id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, t('admin.newProgram.errors.id')),
      name: z
        .string()
        .trim()
        .min(1, t('admin.newProgram.errors.name'))
        .max(200, t('admin.newProgram.errors.nameTooLong')),
      template: z
        .string()
        .refine((id) => findTemplate(id) !== undefined, t('admin.newProgram.errors.template')),
      language: z.enum(LANGUAGES.map((l) => l.code) as [string, ...string[]], {
        message: t('admin.newProgram.errors.language'),
      }),
      coordinatorEmail: z.email(t('admin.newProgram.errors.coordinatorEmail')).max(254),
      preset: z
        .enum(['template', ...PRESET_IDS], { message: t('admin.newProgram.errors.template') })
        .default('template'),
      _csrf: z.string().optional(),
    })
    .strict();

export async function newProgramRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;
  // `languages` is the page's own language links; the programme's language is a choice of its own.
  const page = (lang: Language, extra: Record<string, unknown> = {}) => {
    const t = translator(lang);
    return {
      title: t('admin.newProgram.title'),
      templates: PROGRAM_TEMPLATES.map((template) => templateIn(template, lang)),
      programLanguages: LANGUAGES,
      presets: ['template', ...PRESET_IDS].map((id) => ({
        id,
        label: id === 'template' ? t('settings.presetTemplate') : t(`settings.preset.${id}`),
      })),
      values: { template: PROGRAM_TEMPLATES[0]!.id, language: 'en', preset: 'template' },
      ...extra,
    };
  };

  app.get('/programs/new', { config: { access: 'administrator' } }, async (request, reply) =>
    reply.page('admin-program-new', page(pickLanguage(request.pageContext.lang))),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/programs',
    { config: { access: 'administrator' } },
    async (request, reply) => {
      const lang = pickLanguage(request.pageContext.lang);
      const t = translator(lang);
      const values = request.body ?? {};
      const parsed = newProgramSchema(t).safeParse(values);
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'id')] ??= issue.message;
        const errors = Object.entries(fieldErrors).map(([id, message]) => ({ id, message }));
        return reply.page('admin-program-new', page(lang, { values, fieldErrors, errors }), 400);
      }
      const { id, name, template, language, coordinatorEmail, preset } = parsed.data;
      const created = await createProgram(sql, {
        id,
        name,
        template,
        language,
        coordinatorEmail,
        ...(preset === 'template' ? {} : { preset: preset as PresetId }),
      });
      if (!created) {
        const fieldErrors = { id: t('admin.newProgram.errors.idTaken') };
        return reply.page(
          'admin-program-new',
          page(lang, { values, fieldErrors, errors: [{ id: 'id', message: fieldErrors.id }] }),
          409,
        );
      }
      request.log.info({ programId: id, template, by: request.adminUser!.id }, 'programme created');
      return reply.redirect(`${basePath(config.publicUrl)}admin/programs/${id}`, 303);
    },
  );
}
