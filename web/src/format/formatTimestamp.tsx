const timestampFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** Renders an ISO 8601 timestamp as a local date and time, or as it is when it does not parse. */
export function formatTimestamp(timestamp: string) {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;

  return <time dateTime={timestamp}>{timestampFormat.format(date)}</time>;
}
