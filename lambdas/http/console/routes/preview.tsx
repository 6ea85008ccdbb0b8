import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { loadDryRunContext } from '../../../app/dry-run.js';
import { previewMail } from '../../../app/preview-mail.js';
import type { MemberListing } from '../../../core/console-ports.js';
import type { Decision } from '../../../core/decision.js';
import { Id } from '../../../core/model.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { ConsoleDeps } from '../deps.js';
import { Page } from '../layout.js';
import { notFoundPage, page } from '../respond.js';
import { reasonName } from './explorer.js';
import { campaignNames, clubBase, idOf } from './shared.js';

/** The reason sentence in the marketer's language, and the planner's exact words beside it. */
function reasonSentence(copy: ConsoleCopy, names: ReadonlyMap<string, string>, decision: Decision): string {
  if (decision.outcome === 'send') return copy.reasonSentences.send;
  if (decision.reason.startsWith('outranked-by:')) {
    const id = decision.reason.slice('outranked-by:'.length);
    return copy.reasonSentences.outranked(names.get(id) ?? id);
  }
  if (decision.reason.startsWith('folded-into:')) {
    const id = decision.reason.slice('folded-into:'.length);
    return copy.reasonSentences['folded-into'](names.get(id) ?? id);
  }
  const sentence = Object.entries(copy.reasonSentences).find(([code]) => code === decision.reason)?.[1];
  return typeof sentence === 'string' ? sentence : decision.message;
}

const MemberSearch: FC<{
  copy: ConsoleCopy;
  action: string;
  query: string;
  found?: { members: readonly MemberListing[]; further?: string; scanned: number };
}> = ({ copy, action, query, found }) => (
  <search>
    <form method="get" action={action}>
      <label for="member-query">{copy.preview.member}</label>
      <input type="search" id="member-query" name="q" value={query} />
      <button type="submit">{copy.preview.find}</button>
      {found ? (
        <>
          <h2 id="found-members">{copy.preview.results}</h2>
          {found.members.length === 0 ? <p>{copy.preview.noneFound}</p> : null}
          <ul aria-labelledby="found-members">
            {found.members.map((m) => (
              <li>
                <a href={`${action}?member=${encodeURIComponent(m.memberId)}`}>
                  {copy.preview.showing(m.firstName, m.memberId)}
                </a>
              </li>
            ))}
          </ul>
          {found.further ? (
            <p>
              <a href={found.further}>{copy.preview.searchFurther}</a>
            </p>
          ) : null}
        </>
      ) : null}
    </form>
  </search>
);

/** Any member's mail as it would be sent, or why they would not get it. */
export function previewRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  routes.get('/campaigns/:campaignId/preview', async (c) => {
    const req = requestOf(c);
    const { club, fmt } = clubOf(c);
    const campaignId = idOf(c, 'campaignId');
    const context = campaignId ? await loadDryRunContext(deps, club.clubId, campaignId) : undefined;
    if (!context) return notFoundPage(c);
    const { campaign } = context;
    const action = `${clubBase(c)}/campaigns/${campaign.campaignId}/preview`;
    const query = c.req.query('q')?.trim() ?? '';
    const cursor = c.req.query('cursor');
    const searched = query ? await deps.memberDirectory.search(club.clubId, query, cursor) : undefined;
    const found = searched
      ? {
          members: searched.members,
          scanned: searched.scanned,
          ...(searched.cursor
            ? { further: `${action}?q=${encodeURIComponent(query)}&cursor=${encodeURIComponent(searched.cursor)}` }
            : {}),
        }
      : undefined;
    const memberId = Id.safeParse(c.req.query('member'));
    const preview = memberId.success ? await previewMail(deps, context, memberId.data) : undefined;
    const named =
      preview?.decision.outcome === 'suppress' ? [preview.decision.reason].filter((r) => r.includes(':')) : [];
    const names = await campaignNames(deps, club.clubId, named);
    const mailSrc = preview ? `${action}/mail?member=${encodeURIComponent(preview.state.member.memberId)}` : '';
    return page(
      c,
      <Page
        req={req}
        user={userOf(c)}
        club={clubOf(c)}
        active="campaigns"
        title={req.copy.preview.title(campaign.name)}
      >
        <p>
          <a href={`${clubBase(c)}/campaigns/${campaign.campaignId}`}>{campaign.name}</a>
        </p>
        <MemberSearch copy={req.copy} action={action} query={query} {...(found ? { found } : {})} />
        {memberId.success && !preview ? <p class="notice bad">{req.copy.preview.noneFound}</p> : null}
        {preview ? (
          <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">
              {req.copy.preview.showing(preview.state.member.firstName, preview.state.member.memberId)}
            </h2>
            <p>
              {req.copy.preview.judgedAt(
                fmt.dateTime(new Date(Math.max(Date.parse(campaign.sendAt), deps.clock.now().getTime()))),
              )}
            </p>
            {preview.mail ? (
              <>
                <dl class="facts">
                  <dt>{req.copy.preview.subject}</dt>
                  <dd>{preview.mail.subject}</dd>
                  <dt>{req.copy.preview.preheader}</dt>
                  <dd>{preview.mail.preheader}</dd>
                </dl>
                <div class="frames">
                  <figure>
                    <figcaption>{req.copy.preview.desktop}</figcaption>
                    <iframe
                      class="mail desktop"
                      sandbox=""
                      src={mailSrc}
                      title={req.copy.preview.frameTitle(req.copy.preview.desktop)}
                    />
                  </figure>
                  <figure>
                    <figcaption>{req.copy.preview.phone}</figcaption>
                    <iframe
                      class="mail phone"
                      sandbox=""
                      src={mailSrc}
                      title={req.copy.preview.frameTitle(req.copy.preview.phone)}
                    />
                  </figure>
                </div>
              </>
            ) : (
              <div class="notice warn">
                <p>
                  <strong>{req.copy.preview.wouldNot}</strong>:{' '}
                  {reasonName(req.copy, names, preview.decision.outcome === 'send' ? 'send' : preview.decision.reason)}
                </p>
                <p>{reasonSentence(req.copy, names, preview.decision)}</p>
                <p>
                  {req.copy.plannerNote}: <span lang="en">{preview.decision.message}</span>
                </p>
              </div>
            )}
          </section>
        ) : null}
      </Page>,
    );
  });

  /**
   * The mail's HTML for the sandboxed preview frames: its own CSP (mail is inline-styled, runs no
   * script, loads images over https only) and framable by our own pages alone.
   */
  routes.get('/campaigns/:campaignId/preview/mail', async (c) => {
    const { club } = clubOf(c);
    const campaignId = idOf(c, 'campaignId');
    const memberId = Id.safeParse(c.req.query('member'));
    const context = campaignId ? await loadDryRunContext(deps, club.clubId, campaignId) : undefined;
    const preview = context && memberId.success ? await previewMail(deps, context, memberId.data) : undefined;
    if (!preview?.mail) return notFoundPage(c);
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'; sandbox",
    );
    c.header('X-Frame-Options', 'SAMEORIGIN');
    return c.html(preview.mail.html);
  });

  return routes;
}
