// test:stack reads from the Temporal server's own metrics how many partitions it ran the Genesys queue with.
import { partitionsInMetrics } from '../../scripts/stack/partitions';

const line = (queue: string, type: string, partition: number) =>
  `task_queue_started{namespace="default",operation="TaskQueueMgr",partition="${partition}",service_name="matching",task_type="${type}",taskqueue="${queue}",worker_build_id="__unversioned__"} 1`;

describe('partitionsInMetrics', () => {
  it('counts the partitions loaded for one queue and task type, as the server labels them', () => {
    const metrics = [
      '# TYPE task_queue_started counter',
      line('genesys_retail_us', 'Activity', 0),
      line('genesys_retail_us', 'Activity', 1),
      line('genesys_retail_us', 'Activity', 3),
      line('genesys_retail_us', 'Workflow', 2),
      line('genesys_outlet_ca', 'Activity', 2),
      'poll_success{partition="2",task_type="Activity",taskqueue="genesys_retail_us"} 5',
    ].join('\n');
    expect(partitionsInMetrics(metrics, 'genesys-retail-us', 'Activity')).toEqual(['0', '1', '3']);
    expect(partitionsInMetrics(metrics, 'genesys-retail-us', 'Workflow')).toEqual(['2']);
  });

  it('finds none for a queue the server never loaded', () => {
    expect(partitionsInMetrics(line('genesys_retail_us', 'Activity', 0), 'genesys-outlet-ca', 'Activity')).toEqual([]);
  });
});
