import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public, type AccessRule } from '../auth/decorators.js';
import { ErrorDetail, HttpValidationError } from '../common/error-detail.dto.js';
import { Message } from '../common/message.dto.js';
import { PageQuery } from '../common/pagination.dto.js';
import type { FastifyRequest } from 'fastify';
import { Client, type ClientInfo } from '../common/client-info.js';
import { AppConfig } from '../config/app-config.js';
import { LoginThrottle } from '../throttle/login-throttle.js';
import { DeleteMeRequest, SignUpRequest, UpdateMeRequest, UpdatePasswordRequest } from './dto/account-requests.dto.js';
import { CreateUserRequest, UpdateUserRequest } from './dto/admin-requests.dto.js';
import { AdminUserView, UserPage } from './dto/admin-user.dto.js';
import { PublicUser } from './dto/public-user.dto.js';
import type { User } from './user.entity.js';
import { signUpClosed } from './users.errors.js';
import { UsersService } from './users.service.js';
import { AuditLog } from '../observability/audit-log.js';

const ADMIN: AccessRule = { superuser: true, scopes: ['admin'] };

@ApiTags('users')
@ApiUnprocessableEntityResponse({ description: 'Invalid request', type: HttpValidationError })
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditLog,
  ) {}

  @Post('signup')
  @Public()
  @ApiOperation({ summary: 'Create an account (open unless SIGNUP_ENABLED=false)' })
  @ApiCreatedResponse({ type: PublicUser })
  @ApiConflictResponse({ description: 'Username already registered', type: ErrorDetail })
  @ApiForbiddenResponse({ description: 'Sign-up is closed', type: ErrorDetail })
  async signUp(@Client() client: ClientInfo, @Body() body: SignUpRequest): Promise<PublicUser> {
    if (!this.config.signupEnabled) throw signUpClosed();
    await this.throttle.signUp(client.address);
    const user = await this.users.create(body, client);
    this.audit.record('user.signed_up', { username: user.username, user_id: user.id }, client);
    return this.users.toPublic(user);
  }

  @Get('me')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'The account the token belongs to' })
  @ApiOkResponse({ type: PublicUser })
  readMe(@CurrentUser() user: User): PublicUser {
    return this.users.toPublic(user);
  }

  @Patch('me')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'Change your email or full name' })
  @ApiOkResponse({ type: PublicUser })
  async updateMe(@CurrentUser() user: User, @Body() body: UpdateMeRequest): Promise<PublicUser> {
    return this.users.toPublic(await this.users.updateProfile(user, body));
  }

  @Patch('me/password')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'Change your password; every earlier token stops working' })
  @ApiOkResponse({ type: Message })
  async updatePassword(@Client() client: ClientInfo, @CurrentUser() user: User, @Body() body: UpdatePasswordRequest): Promise<Message> {
    await this.users.changePassword(user, body.current_password, body.new_password, client);
    return { message: 'Password updated successfully' };
  }

  @Delete('me')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'Delete your account and your items' })
  @ApiOkResponse({ type: Message })
  async deleteMe(@Client() client: ClientInfo, @CurrentUser() user: User, @Body() body: DeleteMeRequest): Promise<Message> {
    await this.users.deleteAccount(user, body.current_password, client);
    return { message: 'User deleted successfully' };
  }

  @Post()
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'Create a user (superusers)' })
  @ApiCreatedResponse({ type: AdminUserView })
  @ApiConflictResponse({ description: 'Username already registered', type: ErrorDetail })
  async createUser(@Client() client: ClientInfo, @CurrentUser() actor: User, @Body() body: CreateUserRequest): Promise<AdminUserView> {
    const user = await this.users.create(body, client);
    this.audit.record('admin.user_created', { actor: actor.username, username: user.username, user_id: user.id, is_superuser: user.isSuperuser }, client);
    return this.users.toAdminView(user);
  }

  @Get()
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'List users by name (superusers)' })
  @ApiOkResponse({ type: UserPage })
  async listUsers(@Query() page: PageQuery): Promise<UserPage> {
    const { data, count } = await this.users.list(page.skip, page.limit);
    return { data: data.map((user) => this.users.toAdminView(user)), count };
  }

  @Get(':username')
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'Read a user (superusers)' })
  @ApiOkResponse({ type: AdminUserView })
  @ApiNotFoundResponse({ description: 'User not found', type: ErrorDetail })
  async readUser(@Param('username') username: string): Promise<AdminUserView> {
    return this.users.toAdminView(await this.users.getByUsername(username));
  }

  @Patch(':username')
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'Change a user: disable, make superuser, reset password (superusers)' })
  @ApiOkResponse({ type: AdminUserView })
  @ApiNotFoundResponse({ description: 'User not found', type: ErrorDetail })
  async updateUser(
    @Client() client: ClientInfo,
    @CurrentUser() actor: User,
    @Param('username') username: string,
    @Body() body: UpdateUserRequest,
  ): Promise<AdminUserView> {
    const user = await this.users.getByUsername(username);
    return this.users.toAdminView(await this.users.adminUpdate(actor, user, body, client));
  }

  @Delete(':username')
  @Authenticated(ADMIN)
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a user and their items (superusers)' })
  @ApiOkResponse({ type: Message })
  @ApiNotFoundResponse({ description: 'User not found', type: ErrorDetail })
  async deleteUser(@Client() client: ClientInfo, @CurrentUser() actor: User, @Param('username') username: string): Promise<Message> {
    await this.users.adminDelete(actor, await this.users.getByUsername(username), client);
    return { message: 'User deleted successfully' };
  }
}
