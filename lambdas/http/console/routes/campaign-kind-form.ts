import type { Campaign } from '../../../core/model.js';
import type { FeedbackNote, SurveySpec } from '../../../core/survey.js';
import { Language } from '../../../core/vocabulary.js';

/**
 * The editor's fields for a survey's kind and a "you said, we did" note (core/survey.ts `SurveySpec`,
 * `FeedbackNote`), as the browser posts them: strings as typed, so a form with a mistake comes back as
 * it was sent. Only the fields of the campaign's kind are sent to the use case.
 */
export const NOTE_PARTS = ['subject', 'headline', 'body'] as const;
export type NotePart = (typeof NOTE_PARTS)[number];
/** A survey's club question: the question and what its two ends mean (core/survey.ts `ClubQuestion`). */
export const QUESTION_PARTS = ['text', 'low', 'high'] as const;
export type QuestionPart = (typeof QUESTION_PARTS)[number];

export interface KindForm {
  /** `relationship` or `after-purchase`. */
  readonly surveyType: string;
  readonly daysAfter: string;
  readonly windowDays: string;
  readonly askReason: boolean;
  /** Whether the form showed the club question's fields: a form without them keeps the question it had. */
  readonly questionShown: boolean;
  readonly questionId: string;
  readonly question: Readonly<Record<QuestionPart, Readonly<Record<Language, string>>>>;
  readonly noteTopic: string;
  readonly note: Readonly<Record<NotePart, Readonly<Record<Language, string>>>>;
}

/** The form field of a note's text: `note-subject-sv`. */
export const noteField = (part: NotePart, language: Language) => `note-${part}-${language}`;
/** The form field of the club question's text: `question-low-da`. */
export const questionField = (part: QuestionPart, language: Language) => `question-${part}-${language}`;

const text = (body: URLSearchParams, name: string) => body.get(name)?.trim() ?? '';
const texts = (read: (language: Language) => string): Record<Language, string> => ({
  sv: read('sv'),
  da: read('da'),
  en: read('en'),
});

export function readKindForm(body: URLSearchParams): KindForm {
  return {
    surveyType: text(body, 'surveyType') || 'relationship',
    daysAfter: text(body, 'daysAfter'),
    windowDays: text(body, 'windowDays'),
    // A form without the survey fields (an older page, a script) asks for the reason, as the API does.
    askReason: body.has('askReasonShown') ? body.get('askReason') === 'on' : true,
    questionShown: body.has('questionShown'),
    questionId: text(body, 'questionId'),
    question: {
      text: texts((l) => text(body, questionField('text', l))),
      low: texts((l) => text(body, questionField('low', l))),
      high: texts((l) => text(body, questionField('high', l))),
    },
    noteTopic: text(body, 'noteTopic'),
    note: {
      subject: texts((l) => text(body, noteField('subject', l))),
      headline: texts((l) => text(body, noteField('headline', l))),
      // The body keeps its line breaks as typed.
      body: texts((l) => body.get(noteField('body', l)) ?? ''),
    },
  };
}

export function kindFormOf(campaign: Pick<Campaign, 'survey' | 'note'>): KindForm {
  const survey = campaign.survey;
  const note = campaign.note;
  return {
    surveyType: survey?.type ?? 'relationship',
    daysAfter: survey?.type === 'after-purchase' ? String(survey.daysAfter) : '',
    windowDays: survey?.type === 'after-purchase' ? String(survey.windowDays) : '',
    askReason: survey?.askReason ?? true,
    questionShown: true,
    questionId: survey?.question?.id ?? '',
    question: {
      text: texts((l) => survey?.question?.text[l] ?? ''),
      low: texts((l) => survey?.question?.low[l] ?? ''),
      high: texts((l) => survey?.question?.high[l] ?? ''),
    },
    noteTopic: note?.topic ?? '',
    note: {
      subject: texts((l) => note?.subject[l] ?? ''),
      headline: texts((l) => note?.headline[l] ?? ''),
      body: texts((l) => note?.body[l] ?? ''),
    },
  };
}

export const emptyKindForm = (): KindForm => kindFormOf({});

const optionalNumber = (value: string) => (value === '' ? undefined : Number(value));

/**
 * The survey or note of the campaign's `kind` as the use case's input (unchecked: the use case's schema
 * names any problem), and undefined for the other one, so changing the kind clears what no longer fits.
 * The club question is the form's: none when all its fields are empty. A form that did not show those
 * fields (an older page, a script) keeps the question `keep` the survey had.
 */
export function kindInputOf(
  kind: string,
  form: KindForm,
  keep?: SurveySpec['question'],
): { survey: unknown; note: unknown } {
  const asked = form.questionShown ? questionInputOf(form) : keep;
  const question = asked ? { question: asked } : {};
  const survey =
    kind !== 'survey'
      ? undefined
      : form.surveyType === 'after-purchase'
        ? {
            type: 'after-purchase',
            daysAfter: optionalNumber(form.daysAfter),
            windowDays: optionalNumber(form.windowDays),
            askReason: form.askReason,
            ...question,
          }
        : { type: form.surveyType, askReason: form.askReason, ...question };
  const note: Record<keyof FeedbackNote, unknown> | undefined =
    kind !== 'note'
      ? undefined
      : {
          topic: form.noteTopic,
          subject: form.note.subject,
          headline: form.note.headline,
          body: form.note.body,
        };
  return { survey, note };
}

/** The club question as typed (unchecked), or undefined when every one of its fields is empty. */
function questionInputOf(form: KindForm): Record<string, unknown> | undefined {
  const parts = QUESTION_PARTS.flatMap((part) => Language.options.map((l) => form.question[part][l]));
  if (form.questionId === '' && parts.every((value) => value === '')) return undefined;
  return {
    ...(form.questionId ? { id: form.questionId } : {}),
    text: form.question.text,
    low: form.question.low,
    high: form.question.high,
  };
}

/** The form field an issue of the survey or note belongs to, or undefined for another field. */
export function kindFieldOf(path: string): string | undefined {
  if (path === 'survey.daysAfter') return 'daysAfter';
  if (path === 'survey.windowDays') return 'windowDays';
  if (path === 'survey.question.id') return 'questionId';
  const asked = /^survey\.question\.(text|low|high)\.(sv|da|en)/.exec(path);
  if (asked?.[1] && asked[2]) {
    const language = Language.options.find((l) => l === asked[2]);
    const which = QUESTION_PARTS.find((p) => p === asked[1]);
    if (language && which) return questionField(which, language);
  }
  if (path.startsWith('survey.question')) return questionField('text', 'sv');
  if (path.startsWith('survey')) return 'surveyType';
  const part = /^note\.(subject|headline|body)\.(sv|da|en)/.exec(path);
  if (part?.[1] && part[2]) {
    const language = Language.options.find((l) => l === part[2]);
    const which = NOTE_PARTS.find((p) => p === part[1]);
    if (language && which) return noteField(which, language);
  }
  if (path.startsWith('note')) return 'noteTopic';
  return undefined;
}
