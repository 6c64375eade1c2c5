/** An administrator starts a programme from one of the ready templates. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { basePath } from '../../lib/links.js';
import { findTemplate, PROGRAM_TEMPLATES } from '../../lib/program-templates.js';

const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'nb', name: 'Norsk (bokmål)' },
  { code: 'da', name: 'Dansk' },
  { code: 'sv', name: 'Svenska' },
  { code: 'nl', name: 'Nederlands' },
];

const NewProgram = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Use 2–63 small letters, digits and dashes, like mentoring-2028.'),
    name: z
      .string()
      .trim()
      .min(1, 'Give the programme a name.')
      .max(200, 'Keep the name under 200 characters.'),
    template: z.string().refine((t) => findTemplate(t) !== undefined, 'Choose one of the templates.'),
    language: z.enum(LANGUAGES.map((l) => l.code) as [string, ...string[]], {
      message: 'Choose a language.',
    }),
    coordinatorEmail: z.email('Enter the coordinator’s email address, like name@example.org.').max(254),
    _csrf: z.string().optional(),
  })
  .strict();

export async function newProgramRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;
  const page = (extra: Record<string, unknown> = {}) => ({
    title: 'New programme',
    templates: PROGRAM_TEMPLATES,
    languages: LANGUAGES,
    values: { template: PROGRAM_TEMPLATES[0]!.id, language: 'en' },
    ...extra,
  });

  app.get('/programs/new', { config: { access: 'administrator' } }, async (_request, reply) =>
    reply.page('admin-program-new', page()),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/programs',
    { config: { access: 'administrator' } },
    async (request, reply) => {
      const values = request.body ?? {};
      const parsed = NewProgram.safeParse(values);
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'id')] ??= issue.message;
        const errors = Object.entries(fieldErrors).map(([id, message]) => ({ id, message }));
        return reply.page('admin-program-new', page({ values, fieldErrors, errors }), 400);
      }
      const { id, name, template, language, coordinatorEmail } = parsed.data;
      const chosen = findTemplate(template)!;
      // Applications open when the coordinator opens a round (or opens them on the programme page).
      const [created] = await sql`
        insert into programs (id, name, model, language, coordinator_email, applications_open, settings)
        values (${id}, ${name}, ${chosen.model}, ${language}, ${coordinatorEmail.toLowerCase()}, false,
                ${sql.json({ ...chosen.settings, template: chosen.id } as never)})
        on conflict (id) do nothing
        returning id`;
      if (!created) {
        const fieldErrors = { id: 'A programme with this id exists; choose another.' };
        return reply.page(
          'admin-program-new',
          page({ values, fieldErrors, errors: [{ id: 'id', message: fieldErrors.id }] }),
          409,
        );
      }
      request.log.info({ programId: id, template, by: request.adminUser!.id }, 'programme created');
      return reply.redirect(`${basePath(config.publicUrl)}admin/programs/${id}`, 303);
    },
  );
}
