import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiRoute, CurrentUser, RequireScopes, TokenCost } from 'nestjs-multi-token-auth';
import { DEMO_ROUTE_DOCS } from '../docs/demo-routes.docs';
import type { User } from '../users/user.entity';
import { CreateOrderDto } from './order.dto';
import { OrdersService, type Order } from './orders.service';

/**
 * Scopes at work: reading needs `orders:read`, creating `orders:write`. A token without the scope
 * gets 403 `insufficient_scope` with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`.
 * Creating one costs 5 units of a key's `quota` (`@TokenCost(5)`); every other route 1.
 */
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @ApiRoute(DEMO_ROUTE_DOCS.listOrders)
  @RequireScopes('orders:read')
  @Get()
  list(@CurrentUser() user: User): { orders: Order[] } {
    return { orders: this.orders.list(user.id) };
  }

  @ApiRoute(DEMO_ROUTE_DOCS.createOrder)
  @RequireScopes('orders:write')
  @TokenCost(5)
  @Post()
  create(@CurrentUser() user: User, @Body() body: CreateOrderDto): Order {
    return this.orders.create(user.id, body.item, body.quantity);
  }
}
