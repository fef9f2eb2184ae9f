import {
  createOrder,
  newOrderRecord,
  updateOrder,
} from '../../../functions/shared/adapters/order-repository';
import type { OrderRecord } from '../../../functions/shared/domain/order-record.schema';
import type { OrderPlacedDetail } from '../../../functions/shared/domain/order.schema';
import { placedDetail, uniqueOrderId } from '../../fixtures/orders';

type Patch = Partial<Omit<OrderRecord, 'orderId' | 'createdAt'>>;

/** Stores an order (fresh id) as the receive step would, then moves it to where a test needs it. */
export async function seedOrder(patch: Patch = {}, detail: Partial<OrderPlacedDetail> = {}): Promise<string> {
  const orderId = uniqueOrderId();
  await createOrder(newOrderRecord(placedDetail({ ...detail, orderId }), new Date().toISOString()));
  if (Object.keys(patch).length > 0) await updateOrder(orderId, patch, { allowClosed: true });
  return orderId;
}
