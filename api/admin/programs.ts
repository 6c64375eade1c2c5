/** The coordinator's first view: programmes and the applications each has received. */
import type { FastifyInstance } from 'fastify';
import { absoluteUrl } from '../../lib/links.js';

export async function programRoutes(app: FastifyInstance) {
  const { sql, config } = app.services;

  app.get('/', async (request, reply) => {
    const user = request.adminUser!;
    const everything = user.isAdministrator || user.isAuditor;
    const programs = await sql`
      select p.id, p.name, p.applications_open, count(a.id)::int as applications
      from programs p left join applications a on a.program_id = p.id
      where ${everything ? sql`true` : sql`p.id = any(${sql.array(user.coordinates)}::text[])`}
      group by p.id order by p.created_at, p.id`;
    return reply.page('admin-programs', { title: 'Programmes', programs });
  });

  app.get<{ Params: { programId: string } }>(
    '/programs/:programId',
    {
      config: { access: 'program-reader' },
      schema: { params: { type: 'object', properties: { programId: { type: 'string', maxLength: 63 } } } },
    },
    async (request, reply) => {
      const [program] = await sql`select id, name from programs where id = ${request.params.programId}`;
      if (!program) return reply.callNotFound();
      const applications = await sql`
        select upper(left(a.id::text, 8)) as reference, a.role, a.submitted_at,
               p.name, a.answers->>'department' as department
        from applications a join participants p on p.id = a.participant_id
        where a.program_id = ${program.id}
        order by a.submitted_at desc`;
      return reply.page('admin-program', {
        title: program.name,
        program,
        applications,
        applyUrl: absoluteUrl(config.publicUrl, `programs/${program.id}/apply`),
      });
    },
  );
}
