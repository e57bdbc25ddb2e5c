/**
 * One CloudWatch Embedded Metric Format record: a JSON object whose `_aws` member tells CloudWatch Logs
 * which of its top-level members are metrics (with their unit) and which are dimensions. Written as one
 * log line, it becomes metrics without any call to the CloudWatch API.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export interface EmfRecord {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: 'Count' }[] }[];
  };
  [member: string]: unknown;
}

export function emfRecord(namespace: string, timestamp: number, dimensions: Record<string, string>, counts: Record<string, number>): EmfRecord {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.keys(counts).map((Name) => ({ Name, Unit: 'Count' as const })),
        },
      ],
    },
    ...dimensions,
    ...counts,
  };
}
