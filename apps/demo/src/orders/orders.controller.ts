import { ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiErrorResponse, BEARER_SCHEME, CurrentUser, RequireScopes } from 'nestjs-multi-token-auth';
import type { User } from '../users/user.entity';
import { CreateOrderDto } from './order.dto';
import { OrdersService, type Order } from './orders.service';

/**
 * Scopes at work: reading needs `orders:read`, creating `orders:write`. A token without the scope
 * gets 403 `insufficient_scope` with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`.
 */
@ApiSecurity(BEARER_SCHEME)
@ApiErrorResponse(403, ['insufficient_scope'])
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @ApiResponse({ status: 200, description: 'The user’s orders: `{orders: [{id, item, quantity, createdAt}]}`.' })
  @RequireScopes('orders:read')
  @Get()
  list(@CurrentUser() user: User): { orders: Order[] } {
    return { orders: this.orders.list(user.id) };
  }

  @ApiResponse({ status: 201, description: 'The new order.' })
  @RequireScopes('orders:write')
  @Post()
  create(@CurrentUser() user: User, @Body() body: CreateOrderDto): Order {
    return this.orders.create(user.id, body.item, body.quantity);
  }
}
