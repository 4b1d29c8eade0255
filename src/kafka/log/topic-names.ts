// Which topic names are legal (Kafka's Topic.validate): 1-249 characters from [a-zA-Z0-9._-], not "." or
// "..". The partition directory is <topic>-<partition>, so the name must be usable as a file name.

/** Kafka's limit: 249, so that "<topic>-<partition>" and a future suffix fit in 255 bytes. */
export const MAX_TOPIC_NAME_LENGTH = 249;

/** The topic where group coordinators keep committed offsets; clients cannot produce to it. */
export const CONSUMER_OFFSETS_TOPIC = "__consumer_offsets";

/** Why `name` cannot be a topic, or null if it can. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return "topic name is empty";
  if (name === "." || name === "..") return `topic name "${name}" is not allowed`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `topic name is ${name.length} characters; the limit is ${MAX_TOPIC_NAME_LENGTH}`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return `topic name "${name}" has characters outside [a-zA-Z0-9._-]`;
  return null;
}

/** Whether a topic is the broker's own. */
export function isInternalTopic(name: string): boolean {
  return name === CONSUMER_OFFSETS_TOPIC;
}
