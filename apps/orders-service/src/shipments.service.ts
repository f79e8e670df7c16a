import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

export interface Shipment {
  id: string;
  orderId: string;
  status: 'preparing' | 'shipped';
  createdAt: string;
}

/** Shipments per user, in memory: the service's own data, keyed by the owner's user id (`sub`). */
@Injectable()
export class ShipmentsService {
  private readonly byUser = new Map<string, Shipment[]>();

  list(userId: string): Shipment[] {
    return this.byUser.get(userId) ?? [];
  }

  create(userId: string, orderId: string): Shipment {
    const shipment: Shipment = { id: randomUUID(), orderId, status: 'preparing', createdAt: new Date().toISOString() };
    this.byUser.set(userId, [...this.list(userId), shipment]);
    return shipment;
  }
}
