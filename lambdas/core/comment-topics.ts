import type { CommentTopic } from './survey.js';

/**
 * The club's comment topics a member's reason touches: a topic matches when a word of the comment
 * begins with one of its keywords ("kassa" matches "Kassan" and "kassakön", "queue" matches "queues"),
 * compared case-insensitively after Unicode normalisation. A keyword of several
 * words matches those words in a row. Nothing is inferred beyond the club's own list: the tags say
 * what the member wrote about, and serve only to tell them what their feedback led to.
 */
export function topicsOf(comment: string, topics: readonly CommentTopic[]): string[] {
  const words = wordsOf(comment);
  if (words.length === 0) return [];
  return topics.filter((topic) => topic.keywords.some((keyword) => matches(words, wordsOf(keyword)))).map((t) => t.id);
}

function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLocaleLowerCase('und')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The keyword's words appear in a row, the last one as the start of a word. */
function matches(words: readonly string[], keyword: readonly string[]): boolean {
  if (keyword.length === 0) return false;
  for (let i = 0; i + keyword.length <= words.length; i++) {
    const fits = keyword.every((k, j) => {
      const word = words[i + j] ?? '';
      return j === keyword.length - 1 ? word.startsWith(k) : word === k;
    });
    if (fits) return true;
  }
  return false;
}
