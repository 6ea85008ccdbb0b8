import type { FC } from 'hono/jsx';
import type { Issue } from '../../../app/refusal.js';
import { Language } from '../../../core/vocabulary.js';
import type { ConsoleCopy } from '../copy/index.js';
import { type KindForm, NOTE_PARTS, noteField, QUESTION_PARTS, questionField } from '../routes/campaign-kind-form.js';
import { described, Problems } from './form-fields.js';

/** A comment topic the club declared, as a note's topic choice. */
export interface TopicChoice {
  readonly id: string;
}

/**
 * The campaign editor's survey and note fields: whom a survey asks (a relationship sample or after a
 * purchase), whether it asks for the reason, and the club's own 1–5 question with what its ends mean;
 * a note's topic and its text in the club's three languages. Each is used only for its kind; the rest of the form works without JavaScript either way.
 */
export const KindFields: FC<{
  copy: ConsoleCopy;
  form: KindForm;
  issues: readonly Issue[];
  topics: readonly TopicChoice[];
}> = ({ copy, form, issues, topics }) => {
  const k = copy.kindFields;
  return (
    <>
      <fieldset id="surveyType" aria-describedby="survey-help">
        <legend>{k.survey}</legend>
        <p class="help" id="survey-help">
          {k.surveyHelp}
        </p>
        {(['relationship', 'after-purchase'] as const).map((type) => (
          <label class="inline">
            <input type="radio" name="surveyType" value={type} checked={form.surveyType === type} />
            {type === 'relationship' ? k.relationship : k.afterPurchase}
          </label>
        ))}
        <Problems issues={issues} field="surveyType" />
        <label for="daysAfter">{k.daysAfter}</label>
        <input
          type="number"
          id="daysAfter"
          name="daysAfter"
          min={0}
          max={60}
          value={form.daysAfter}
          {...described(issues, 'daysAfter')}
        />
        <Problems issues={issues} field="daysAfter" />
        <label for="windowDays">{k.windowDays}</label>
        <input
          type="number"
          id="windowDays"
          name="windowDays"
          min={1}
          max={30}
          value={form.windowDays}
          {...described(issues, 'windowDays')}
        />
        <Problems issues={issues} field="windowDays" />
        <input type="hidden" name="askReasonShown" value="1" />
        <p>
          <label class="inline">
            <input type="checkbox" name="askReason" checked={form.askReason} />
            {k.askReason}
          </label>
        </p>
        <fieldset aria-describedby="question-help">
          <legend>{k.question}</legend>
          <p class="help" id="question-help">
            {k.questionHelp}
          </p>
          <input type="hidden" name="questionShown" value="1" />
          <label for="questionId">{k.questionId}</label>
          <input
            type="text"
            id="questionId"
            name="questionId"
            value={form.questionId}
            placeholder="csat"
            {...described(issues, 'questionId')}
          />
          <Problems issues={issues} field="questionId" />
          {Language.options.map((language) =>
            QUESTION_PARTS.map((part) => {
              const id = questionField(part, language);
              return (
                <>
                  <label for={id}>{`${k.questionPart[part]} (${k.inLanguage[language]})`}</label>
                  <input
                    type="text"
                    id={id}
                    name={id}
                    lang={language}
                    maxlength={part === 'text' ? 300 : 60}
                    value={form.question[part][language]}
                    {...described(issues, id)}
                  />
                  <Problems issues={issues} field={id} />
                </>
              );
            }),
          )}
        </fieldset>
      </fieldset>

      <fieldset aria-describedby="note-help">
        <legend>{k.note}</legend>
        <p class="help" id="note-help">
          {k.noteHelp}
        </p>
        <label for="noteTopic">{k.topic}</label>
        {topics.length === 0 ? (
          <p class="help" id="noteTopic-help">
            {k.noTopics}
          </p>
        ) : null}
        <select
          id="noteTopic"
          name="noteTopic"
          {...described(issues, 'noteTopic', topics.length === 0 ? 'noteTopic-help' : undefined)}
        >
          <option value="">{k.chooseTopic}</option>
          {topics.map((t) => (
            <option value={t.id} selected={t.id === form.noteTopic}>
              {t.id}
            </option>
          ))}
        </select>
        <Problems issues={issues} field="noteTopic" />
        {Language.options.map((language) =>
          NOTE_PARTS.map((part) => {
            const id = noteField(part, language);
            const label = `${k.part[part]} (${k.inLanguage[language]})`;
            return (
              <>
                <label for={id}>{label}</label>
                {part === 'body' ? (
                  <textarea id={id} name={id} rows={4} lang={language} {...described(issues, id)}>
                    {form.note[part][language]}
                  </textarea>
                ) : (
                  <input
                    type="text"
                    id={id}
                    name={id}
                    lang={language}
                    value={form.note[part][language]}
                    {...described(issues, id)}
                  />
                )}
                <Problems issues={issues} field={id} />
              </>
            );
          }),
        )}
      </fieldset>
    </>
  );
};
