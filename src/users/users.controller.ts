import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../auth/auth-context.js';
import { Authenticated, Public, type AccessRule } from '../auth/decorators.js';
import { ApiErrorResponse, refusedInput } from '../common/error-responses.js';
import { Message } from '../common/message.dto.js';
import { PageQuery } from '../common/pagination.dto.js';
import type { FastifyRequest } from 'fastify';
import { Origin, type RequestOrigin } from '../common/request-origin.js';
import { mailUnavailable } from '../mail/mail-errors.js';
import { serverBusy } from '../password/hash-queue.js';
import { PASSWORD_CHECK_REFUSALS } from '../throttle/login-throttle.js';
import { tooManySignUps } from '../throttle/sign-up-limit.js';
import { AccountService } from './account.service.js';
import { DeleteMeRequest, SignUpRequest, UpdateMeRequest, UpdatePasswordRequest } from './dto/account-requests.dto.js';
import { CreateUserRequest, UpdateUserRequest } from './dto/admin-requests.dto.js';
import { AdminUserView, UserPage } from './dto/admin-user.dto.js';
import { PublicUser } from './dto/public-user.dto.js';
import { PASSWORD_CONTAINS_USERNAME } from '../password/password-policy.js';
import { cannotDeleteSelf, emailTaken, incorrectPassword, lastSuperuser, reservedUsername, signUpClosed, usernameLookalike, usernameTaken, userNotFound, weakPassword } from './users.errors.js';
import { UsersService } from './users.service.js';

const ADMIN: AccessRule = { superuser: true, scopes: ['admin'] };

const PASSWORD_UPDATED: Message = { message: 'Password updated successfully' };
const USER_DELETED: Message = { message: 'User deleted successfully' };

/** What the documented sign-up (the request body's example) answers. */
const SIGNED_UP: PublicUser = { username: 'janedoe', email: 'jane@example.com', full_name: 'Jane Doe', disabled: false };

/** A new account's fields, refused: a name too short and a password too short. */
const SHORT_FIELDS = { username: 'jd', password: 'secret' };

/** A new account whose name mixes scripts: `аlice`, with a Cyrillic а. */
const MIXED_SCRIPTS = { username: '\u0430lice', password: 'a fine password' };

/** A new account whose password is one of the common ones. */
const COMMON_PASSWORD = { username: 'janedoe', password: 'password' };

const ApiLastSuperuserResponse = () =>
  ApiErrorResponse('The last active superuser cannot be removed, demoted or disabled', { last_superuser: lastSuperuser() });

const ApiServerBusyResponse = () => ApiErrorResponse('Too many password hashes waiting already', { server_busy: serverBusy() });

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountService,
  ) {}

  @Post('signup')
  @Public()
  @ApiOperation({ summary: 'Create an account (open unless SIGNUP_ENABLED=false)' })
  @ApiCreatedResponse({ type: PublicUser, example: SIGNED_UP })
  @ApiErrorResponse('Sign-up is closed (SIGNUP_ENABLED=false)', { signup_closed: signUpClosed() })
  @ApiErrorResponse('Username already registered, or one that looks like it; or an email address another account verified', {
    username_taken: usernameTaken(),
    username_lookalike: usernameLookalike(),
    email_taken: emailTaken(),
  })
  @ApiErrorResponse('Invalid or reserved fields', {
    invalid_fields: refusedInput(SignUpRequest, 'body', SHORT_FIELDS),
    reserved_username: reservedUsername('admin'),
    mixed_scripts: refusedInput(SignUpRequest, 'body', MIXED_SCRIPTS),
    common_password: refusedInput(SignUpRequest, 'body', COMMON_PASSWORD),
    password_contains_username: weakPassword(PASSWORD_CONTAINS_USERNAME, 'password'),
  })
  @ApiErrorResponse('Too many sign-ups from this address', { too_many_signups: tooManySignUps(60_000) })
  @ApiServerBusyResponse()
  async signUp(@Origin() origin: RequestOrigin, @Body() body: SignUpRequest): Promise<PublicUser> {
    return PublicUser.from(await this.accounts.signUp(body, origin));
  }

  @Get('me')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'The account the token belongs to' })
  @ApiOkResponse({ type: PublicUser })
  readMe(@Auth() { user }: AuthContext): PublicUser {
    return PublicUser.from(user);
  }

  @Patch('me')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({
    summary: 'Change your email or full name',
    description:
      'A new email address takes effect once verified: the answer shows the address as it still is, a link goes to the new ' +
      'address and a notice to the old one (GET /users/me/email shows the pending address). null removes the address at once.',
  })
  @ApiOkResponse({ type: PublicUser })
  @ApiErrorResponse('Invalid fields', { invalid_fields: refusedInput(UpdateMeRequest, 'body', { email: 'johndoe' }) })
  @ApiErrorResponse('Another account verified that address', { email_taken: emailTaken() })
  @ApiErrorResponse('No mail can be sent (production without SMTP_URL)', { mail_unavailable: mailUnavailable() })
  async updateMe(@Origin() origin: RequestOrigin, @Auth() { user }: AuthContext, @Body() body: UpdateMeRequest): Promise<PublicUser> {
    return PublicUser.from(await this.accounts.updateProfile(user, body, origin));
  }

  @Patch('me/password')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'Change your password; every earlier token stops working' })
  @ApiOkResponse({ type: Message, example: PASSWORD_UPDATED })
  @ApiErrorResponse('The current password is wrong', { incorrect_password: incorrectPassword() })
  @ApiErrorResponse('Invalid fields', {
    invalid_fields: refusedInput(UpdatePasswordRequest, 'body', { current_password: 'secret', new_password: 'short' }),
    common_password: refusedInput(UpdatePasswordRequest, 'body', { current_password: 'secret', new_password: '12345678' }),
    password_contains_username: weakPassword(PASSWORD_CONTAINS_USERNAME, 'new_password'),
  })
  @ApiErrorResponse('Too many wrong or attempted passwords: from this address, or for this account', PASSWORD_CHECK_REFUSALS)
  @ApiServerBusyResponse()
  async updatePassword(@Origin() origin: RequestOrigin, @Auth() { user }: AuthContext, @Body() body: UpdatePasswordRequest): Promise<Message> {
    await this.accounts.changePassword(user, body.current_password, body.new_password, origin);
    return PASSWORD_UPDATED;
  }

  @Delete('me')
  @Authenticated({ scopes: ['me'] })
  @ApiOperation({ summary: 'Delete your account and your items' })
  @ApiOkResponse({ type: Message, example: USER_DELETED })
  @ApiErrorResponse('The current password is wrong', { incorrect_password: incorrectPassword() })
  @ApiErrorResponse('Invalid fields', { missing_password: refusedInput(DeleteMeRequest, 'body', {}) })
  @ApiLastSuperuserResponse()
  @ApiErrorResponse('Too many wrong or attempted passwords: from this address, or for this account', PASSWORD_CHECK_REFUSALS)
  @ApiServerBusyResponse()
  async deleteMe(@Origin() origin: RequestOrigin, @Auth() { user }: AuthContext, @Body() body: DeleteMeRequest): Promise<Message> {
    await this.accounts.deleteAccount(user, body.current_password, origin);
    return USER_DELETED;
  }

  @Post()
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'Create a user (superusers)' })
  @ApiCreatedResponse({ type: AdminUserView, example: { ...SIGNED_UP, is_superuser: false } })
  @ApiErrorResponse('Username already registered, or one that looks like it; or an email address another account verified', {
    username_taken: usernameTaken(),
    username_lookalike: usernameLookalike(),
    email_taken: emailTaken(),
  })
  @ApiErrorResponse('Invalid or reserved fields', {
    invalid_fields: refusedInput(CreateUserRequest, 'body', SHORT_FIELDS),
    reserved_username: reservedUsername('admin'),
    mixed_scripts: refusedInput(CreateUserRequest, 'body', MIXED_SCRIPTS),
    common_password: refusedInput(CreateUserRequest, 'body', COMMON_PASSWORD),
    password_contains_username: weakPassword(PASSWORD_CONTAINS_USERNAME, 'password'),
  })
  @ApiServerBusyResponse()
  async createUser(@Origin() origin: RequestOrigin, @Auth() { user: actor }: AuthContext, @Body() body: CreateUserRequest): Promise<AdminUserView> {
    return AdminUserView.from(await this.users.adminCreate(actor, body, origin));
  }

  @Get()
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'List users by name (superusers)' })
  @ApiOkResponse({ type: UserPage })
  @ApiErrorResponse('Invalid skip or limit', { invalid_query: refusedInput(PageQuery, 'query', { limit: '1000' }) })
  async listUsers(@Query() page: PageQuery): Promise<UserPage> {
    const { data, count } = await this.users.list(page.skip, page.limit);
    return { data: data.map(AdminUserView.from), count };
  }

  @Get(':username')
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'Read a user (superusers)' })
  @ApiOkResponse({ type: AdminUserView })
  @ApiErrorResponse('No such user', { user_not_found: userNotFound() })
  async readUser(@Param('username') username: string): Promise<AdminUserView> {
    return AdminUserView.from(await this.users.getByUsername(username));
  }

  @Patch(':username')
  @Authenticated(ADMIN)
  @ApiOperation({ summary: 'Change a user: disable, make superuser, reset password (superusers); disabling ends their sessions' })
  @ApiOkResponse({ type: AdminUserView })
  @ApiErrorResponse('No such user', { user_not_found: userNotFound() })
  @ApiErrorResponse('Invalid fields', { invalid_fields: refusedInput(UpdateUserRequest, 'body', { disabled: 'yes' }) })
  @ApiErrorResponse('Another account verified that email address', { email_taken: emailTaken() })
  @ApiLastSuperuserResponse()
  @ApiErrorResponse('Too many password hashes waiting already (a new password)', { server_busy: serverBusy() })
  async updateUser(
    @Origin() origin: RequestOrigin,
    @Auth() { user: actor }: AuthContext,
    @Param('username') username: string,
    @Body() body: UpdateUserRequest,
  ): Promise<AdminUserView> {
    const user = await this.users.getByUsername(username);
    return AdminUserView.from(await this.users.adminUpdate(actor, user, body, origin));
  }

  @Delete(':username')
  @Authenticated(ADMIN)
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a user and their items (superusers)' })
  @ApiOkResponse({ type: Message, example: USER_DELETED })
  @ApiErrorResponse('Superusers cannot delete themselves', { cannot_delete_self: cannotDeleteSelf() })
  @ApiErrorResponse('No such user', { user_not_found: userNotFound() })
  async deleteUser(@Origin() origin: RequestOrigin, @Auth() { user: actor }: AuthContext, @Param('username') username: string): Promise<Message> {
    await this.users.adminDelete(actor, await this.users.getByUsername(username), origin);
    return USER_DELETED;
  }
}
