/**
 * A coordinator edits a programme's forms without code: change the title, labels, help, options and
 * whether a question is required, reorder and remove questions, add new ones. The result is checked by
 * the forms' meta-schema and saved as the programme's next version; relationships already running keep
 * the version they pinned.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { FieldKind, FormDefinition, localize, type Field } from '../../domain/forms/definition.js';
import { currentForm, editableForms, saveFormVersion } from '../../services/form-store.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { basePath } from '../../platform/links.js';

type Body = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const OWN_OPTIONS = new Set(['single-choice', 'multiple-choice']);

/**
 * Questions the programme itself reads (a log's "held", a fit check's choice, the applicant's email):
 * their texts may change, but not their existence, options or whether they are required.
 */
const NEEDED: Record<string, string[]> = {
  'mentee-application': ['name', 'email', 'managerEmail'],
  'mentor-application': ['name', 'email', 'capacity'],
  'manager-endorsement': ['endorse'],
  'meeting-log': ['held'],
  'fit-check': ['choice'],
};
const needed = (formId: string, name: string) => NEEDED[formId]?.includes(name) ?? false;

/** `value = Label` per line; a line without `=` uses its label, made into a value. */
function parseOptions(lines: string): { value: string; label: string }[] {
  return lines
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [left, ...rest] = line.split('=');
      const label = rest.length ? rest.join('=').trim() : left!.trim();
      const value = rest.length
        ? left!.trim()
        : label
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '');
      return { value, label };
    });
}
const showOptions = (field: Field) => (field.options ?? []).map((o) => `${o.value} = ${o.label}`).join('\n');

/** The edited definition (not yet checked) from the editor's fields. */
function applyEdits(current: FormDefinition, body: Body) {
  const rows = current.sections.flatMap((section, s) => section.fields.map((field) => ({ field, s })));
  const kept: { field: Record<string, unknown>; s: number; position: number }[] = [];
  rows.forEach(({ field, s }, i) => {
    const fixed = needed(current.id, field.name);
    if (body[`remove.${i}`] === 'yes' && !fixed) return;
    const edited: Record<string, unknown> = {
      ...field,
      label: text(body[`label.${i}`]),
      help: text(body[`help.${i}`]) || undefined,
      required: fixed ? field.required : field.kind === 'info' ? false : body[`required.${i}`] === 'yes',
    };
    if (OWN_OPTIONS.has(field.kind) && !fixed)
      edited.options = parseOptions(String(body[`options.${i}`] ?? ''));
    const position = Number(body[`position.${i}`]);
    kept.push({ field: edited, s, position: Number.isFinite(position) ? position : i + 1 });
  });
  if (text(body['new.label']) || text(body['new.name'])) {
    const kind = text(body['new.kind']);
    kept.push({
      field: {
        name: text(body['new.name']),
        kind,
        label: text(body['new.label']),
        required: body['new.required'] === 'yes',
        ...(OWN_OPTIONS.has(kind) ? { options: parseOptions(String(body['new.options'] ?? '')) } : {}),
      },
      s: current.sections.length - 1,
      position: rows.length + 1,
    });
  }
  kept.sort((a, b) => a.position - b.position); // stable: equal positions keep their order
  const title = text(body.title);
  const intro = text(body.intro) || undefined;
  const sections = current.sections
    .map((section, s) => ({
      title: section.title,
      // An edited agreement keeps its sections' part: answers the pair gives together stay so.
      ...(section.shared ? { shared: true } : {}),
      fields: kept.filter((k) => k.s === s).map((k) => k.field),
    }))
    .filter((section) => section.fields.length > 0);
  return {
    id: current.id,
    title,
    intro,
    sections,
    translations: keptTranslations(current, { title, intro, sections, fields: kept.map((k) => k.field) }),
  };
}

/**
 * The translations that still fit: a text the coordinator changed in English loses its translations
 * (which would now say something else), so those languages show the new English until translated.
 */
function keptTranslations(
  current: FormDefinition,
  edited: { title: string; intro?: string; sections: unknown[]; fields: Record<string, unknown>[] },
): FormDefinition['translations'] {
  const before = new Map(current.sections.flatMap((s) => s.fields).map((f) => [f.name, f]));
  const after = new Map(edited.fields.map((f) => [String(f.name), f]));
  const translations = structuredClone(current.translations ?? {});
  for (const t of Object.values(translations)) {
    if (!t) continue;
    if (edited.title !== current.title) delete t.title;
    if (edited.intro !== current.intro) delete t.intro;
    if (edited.sections.length !== current.sections.length) delete t.sections;
    for (const [name, f] of Object.entries(t.fields ?? {})) {
      const old = before.get(name);
      const now = after.get(name);
      if (!old || !now) {
        delete t.fields![name];
        continue;
      }
      if (now.label !== old.label) delete f.label;
      if ((now.help ?? undefined) !== (old.help ?? undefined)) delete f.help;
      if (JSON.stringify(now.options) !== JSON.stringify(old.options)) delete f.options;
    }
  }
  return translations;
}

/** Problems about a field's short name itself, which the message shows rather than its question's text. */
const NAME_PROBLEMS = new Set(['sameName', 'reservedName']);

/** Where a problem of the edited form is, in words where it has some (its title), else its path. */
function whereOf(t: TFunction, path: PropertyKey[]): string {
  if (path.length === 1 && path[0] === 'title') return t('admin.formEditor.formTitle');
  if (path.length === 1 && path[0] === 'intro') return t('admin.formEditor.intro');
  if (path.length === 0 || (path.length === 1 && path[0] === 'sections'))
    return t('admin.formEditor.wholeForm');
  return path.map(String).join('.');
}

/**
 * A problem of the edited form in the coordinator's language: the meta-schema's own rules by their
 * `problem` code (field names shown as their questions' texts), the schema's basic checks by kind.
 */
export function problemText(t: TFunction, issue: z.core.$ZodIssue, named: FormDefinition): string {
  const labels = new Map(named.sections.flatMap((s) => s.fields).map((f) => [f.name, f.label]));
  const question = (name: unknown) => labels.get(String(name)) ?? String(name);
  const params = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined;
  const last = issue.path.at(-1);
  let message: string;
  if (typeof params?.problem === 'string')
    message = t(`admin.formEditor.problem.${params.problem}`, {
      ...params,
      // Two questions of one short name, or a name the form uses itself: the name is what matters.
      name: NAME_PROBLEMS.has(params.problem) ? params.name : question(params.name),
      on: question(params.on),
    });
  else if (issue.code === 'too_small')
    message = t(
      issue.origin === 'array' ? 'admin.formEditor.problem.none' : 'admin.formEditor.problem.empty',
    );
  else if (issue.code === 'too_big') message = t('admin.formEditor.problem.tooLong');
  else if (issue.code === 'invalid_format' && last === 'name') message = t('admin.formEditor.problem.name');
  else if (issue.code === 'invalid_value' && last === 'kind') message = t('admin.formEditor.problem.kind');
  else message = t('admin.formEditor.problem.invalid');
  return t('admin.formEditor.invalid', { path: whereOf(t, issue.path), message });
}

export async function formEditorRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;
  const params = {
    type: 'object',
    required: ['programId', 'formId'],
    properties: {
      programId: { type: 'string', maxLength: 63 },
      formId: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$' },
    },
  } as const;
  type Params = { programId: string; formId: string };

  async function page(reply: FastifyReply, p: Params, extra: Record<string, unknown> = {}, status = 200) {
    const form = await currentForm(sql, p.programId, p.formId);
    if (!form || !editableForms.some((f) => f.id === p.formId)) return reply.callNotFound();
    // After an error the page shows what the coordinator typed, not the saved version.
    const posted = extra.posted as Body | undefined;
    const typed = (key: string, saved: unknown) => (posted ? String(posted[key] ?? '') : saved);
    // The texts to edit are the form's English ones; its title and sections are named in the page's language.
    const lang = pickLanguage(reply.request.pageContext.lang);
    const named = localize(form, lang);
    const fields = form.sections
      .flatMap((section, s) => section.fields.map((field) => ({ field, section: named.sections[s]!.title })))
      .map(({ field, section }, i) => ({
        ...field,
        section,
        index: i,
        label: typed(`label.${i}`, field.label),
        help: typed(`help.${i}`, field.help ?? ''),
        required: posted ? posted[`required.${i}`] === 'yes' : field.required,
        removed: posted?.[`remove.${i}`] === 'yes',
        position: typed(`position.${i}`, i + 1),
        ownOptions: OWN_OPTIONS.has(field.kind) && !needed(form.id, field.name),
        fixed: needed(form.id, field.name),
        optionLines: typed(`options.${i}`, showOptions(field)),
      }));
    const values = {
      title: typed('title', form.title),
      intro: typed('intro', form.intro ?? ''),
      newName: posted?.['new.name'] ?? '',
      newKind: posted?.['new.kind'] ?? 'short-text',
      newLabel: posted?.['new.label'] ?? '',
      newOptions: posted?.['new.options'] ?? '',
      newRequired: posted?.['new.required'] === 'yes',
    };
    const t = translator(lang);
    return reply.page(
      'admin-form-editor',
      {
        title: t('admin.formEditor.title', { title: named.title }),
        programId: p.programId,
        form,
        formTitle: named.title,
        fields,
        values,
        nextVersion: form.version + 1,
        kinds: FieldKind.options.filter((k) => k !== 'info'),
        ...extra,
      },
      status,
    );
  }

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId/forms',
    { config: { access: 'program-reader' } },
    async (request, reply) => {
      const lang = pickLanguage(request.pageContext.lang);
      // Each form's title as its newest version has it in the page's language.
      const forms = await Promise.all(
        editableForms.map(async (f) => {
          const current = (await currentForm(sql, request.params.programId, f.id))!;
          return { id: f.id, title: localize(current, lang).title, version: current.version };
        }),
      );
      const t = translator(lang);
      return reply.page('admin-forms', {
        title: t('admin.forms.title'),
        programId: request.params.programId,
        forms,
      });
    },
  );

  app.get<{ Params: Params }>(
    '/programs/:programId/forms/:formId',
    { config: { access: 'program-reader' }, schema: { params } },
    async (request, reply) => page(reply, request.params),
  );

  app.post<{ Params: Params; Body: Body }>(
    '/programs/:programId/forms/:formId',
    { config: { access: 'program-coordinator' }, schema: { params } },
    async (request, reply) => {
      const current = await currentForm(sql, request.params.programId, request.params.formId);
      if (!current) return reply.callNotFound();
      const t = translator(pickLanguage(request.pageContext.lang));
      // Saved over by someone else since this page was opened: show the newest, do not mix the two.
      if (Number(request.body?.baseVersion) !== current.version) {
        const errors = [
          { id: 'form-top', message: t('admin.formEditor.savedOver', { version: current.version }) },
        ];
        return page(reply, request.params, { errors }, 409);
      }
      const edited = applyEdits(current, request.body ?? {});
      const checked = FormDefinition.safeParse({ ...edited, version: current.version + 1 });
      if (!checked.success) {
        const lang = pickLanguage(request.pageContext.lang);
        const errors = checked.error.issues.map((issue) => ({
          id: 'form-top',
          message: problemText(t, issue, localize(current, lang)),
        }));
        return page(reply, request.params, { errors, posted: request.body }, 400);
      }
      const { version: _ignored, ...definition } = checked.data;
      const version = await saveFormVersion(sql, request.params.programId, definition, request.adminUser!.id);
      request.log.info({ programId: request.params.programId, formId: current.id, version }, 'form edited');
      return reply.redirect(
        `${basePath(config.publicUrl)}admin/programs/${request.params.programId}/forms/${current.id}?saved=${version}`,
        303,
      );
    },
  );
}
