# Tessera 页面，简体中文。

## 所有页面
page-title = { $title } · { $product }

## 登录
login-title = 登录
login-lead = 以继续使用 { $app }
login-username = 用户名
login-password = 密码
login-show-password = 显示密码
login-submit = 登录
login-not-you = 不是你？使用其他账号
signin-error-failed = 用户名或密码不正确。请检查后重试。
signin-error-throttled = 登录失败次数过多。请在 { $seconds } 秒后重试。
signin-error-throttled-minutes = 登录失败次数过多。请在 { $minutes } 分钟后重试。
signin-error-disabled = 此账号已停用。请联系 { $product } 的管理员重新启用。

## 授权
consent-title = 允许访问？
consent-lead = { $app } 希望：
consent-signed-in-as = 当前登录身份：{ $user }。
consent-not-you = 不是你？使用其他账号
consent-allow = 允许
consent-deny = 拒绝
consent-raw-scopes = 应用请求的原始内容（供开发者参考）
consent-change-later = 你以后可以在账号页面更改这一选择。
consent-app-site = 关于 { $app }
consent-policy = 隐私政策
consent-terms = 服务条款
consent-logo = { $app } 的标志
scope-openid = 知道你是谁（一个固定不变的标识，每次登录都相同）
scope-profile = 查看你的姓名、用户名及其他个人资料
scope-email = 查看你的电子邮件地址
scope-address = 查看你的邮寄地址
scope-phone = 查看你的电话号码
scope-offline_access = 在你从这里退出登录后仍保持与你账号的连接
scope-groups = 查看你所属的群组名称
scope-api = 代表你使用其他服务（{ $count } 项权限）

## 错误页面
error-title-refused = 无法完成此登录请求
error-what-refused = 将你带到这里的应用发出了本服务器无法接受的请求。这不是你的操作问题。
error-title-expired = 此页面已过期
error-what-expired = 登录耗时过长，或已在另一个标签页中完成。
error-title-server = 我们这边出了问题
error-what-server = 服务器无法完成你的请求。
error-title-unavailable = 暂时无法使用
error-what-unavailable = 服务目前无法响应。
error-todo = 你可以这样做
error-todo-back = 返回应用，重新开始。
error-todo-retry = 请稍等片刻，然后重试。
error-todo-contact = 如果问题持续出现，请将下方的错误编号告知管理员。
error-id = 错误编号
error-details = 技术细节（供应用开发者参考）
error-code = 错误代码
error-description = 描述

## 退出登录
logout-title = 退出登录？
logout-asks = { $app } 请求让你退出 { $product }。
logout-about = 你即将退出 { $product }。
logout-signed-in-as = 当前登录身份：{ $user }。你通过 { $product } 登录的应用都会收到通知。
logout-submit = 退出登录
logged-out-title = 你已退出登录
logged-out-lead = 现在可以关闭此页面。
logged-out-back = 返回 { $app }

## 返回应用（表单提交）
form-post-title = 正在返回应用
form-post-heading = 正在返回应用…
form-post-noscript = JavaScript 已关闭：请手动继续。
form-post-continue = 继续

## 首页（GET /）
landing-lead = { $product } 是本站的登录服务：应用会把你带到这里登录，登录后你会回到应用中。
landing-account = 管理你的账号
landing-fresh-title = 管理员的下一步
landing-fresh-body = 尚未注册任何应用。请在服务器上用以下命令添加一个用户和一个应用，然后按照 README 中的步骤操作：
landing-health = 服务器正在运行。

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = 你无权访问此应用
no-access-lead = 你的账户 { $user } 无权使用 { $app }。
no-access-todo = 如果你认为应该有访问权限，请让管理员把你加入相应的群组。
no-access-back = 返回 { $app }
