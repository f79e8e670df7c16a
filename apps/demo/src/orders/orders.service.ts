import { Injectable } from '@nestjs/common';

export interface Order {
  id: number;
  item: string;
  quantity: number;
  createdAt: string;
}

/**
 * The demo's orders, held in memory per user: they exist only to show scopes at work
 * (`orders:read`, `orders:write`); a real app keeps them in its database.
 */
@Injectable()
export class OrdersService {
  private readonly byUser = new Map<number, Order[]>();
  private nextId = 1;

  list(userId: number): Order[] {
    return this.byUser.get(userId) ?? [];
  }

  create(userId: number, item: string, quantity: number): Order {
    const order = { id: this.nextId++, item, quantity, createdAt: new Date().toISOString() };
    this.byUser.set(userId, [...this.list(userId), order]);
    return order;
  }
}
