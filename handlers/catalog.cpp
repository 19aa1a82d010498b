#include "handlers/catalog.hpp"

#include <algorithm>
#include <array>

namespace bot::handlers {
namespace {

struct Entry {
    std::string_view key;
    std::string_view zh;
    std::string_view en;
};

// clang-format off
// A plain array: deducing std::array's size from 250+ entries exceeds clang's fold-expression
// nesting limit (256), which the fuzz build (clang) hits.
constexpr Entry kEntries[]{
    // Choosing and starting
    Entry{"choose_template", "请选择要填报的类型:{options}\n回复序号或名称。", "Which report? {options}\nReply with a number or a name."},
    Entry{"choose_invalid", "没有找到该类型,请回复序号或名称:{options}", "No such report type. Reply with a number or a name: {options}"},
    Entry{"no_templates", "本群暂无可填报的内容,请联系组织部门。", "There is nothing to report in this chat; please contact the coordinators."},
    Entry{"not_on_roster", "您还不在联络员名单中,请联系组织部门添加后再填报。", "You are not on the liaison roster yet; ask the coordinators to add you."},
    Entry{"already_filling", "您正在填写《{template}》(第 {step}/{total} 项)。回复「继续」接着填,或回复「取消」放弃后重新开始。", "You are filling in \"{template}\" (item {step}/{total}). Reply \"continue\" to go on, or \"cancel\" to start over."},
    Entry{"already_previewing", "您正在填写《{template}》,已到预览。回复「提交」「修改 N」,或回复「取消」放弃后重新开始。", "You are filling in \"{template}\", at the preview. Reply \"submit\", \"edit N\", or \"cancel\" to start over."},
    Entry{"draft_waiting", "您有一份未完成的《{template}》草稿(已填 {answered} 项)。回复「继续」接着填,或回复「取消」放弃。", "You have an unfinished draft of \"{template}\" ({answered} items answered). Reply \"continue\" to go on, or \"cancel\" to discard it."},
    Entry{"nothing_to_continue", "没有可以继续的填报。回复「填报」开始新的填报。", "There is nothing to continue. Reply \"report\" to start a new one."},
    // Prompting
    Entry{"prompt_header", "【{template}】第 {step}/{total} 项 · {label}({requirement})", "[{template}] item {step}/{total} · {label} ({requirement})"},
    Entry{"requirement_required", "必填", "required"},
    Entry{"requirement_optional", "选填,可回复「跳过」", "optional, reply \"skip\" to leave it out"},
    Entry{"prompt_limits_text", "{min}–{max} 字", "{min}–{max} characters"},
    Entry{"prompt_limits_max", "不超过 {max} 字", "at most {max} characters"},
    Entry{"prompt_range", "范围 {min}–{max}", "between {min} and {max}"},
    Entry{"prompt_multichoice", "可多选,用顿号或逗号分隔", "several allowed, separated by commas"},
    Entry{"prompt_default", "回复「跳过」使用默认值:{value}", "Reply \"skip\" to use the default: {value}"},
    Entry{"prompt_current", "当前内容:{value}", "Current answer: {value}"},
    Entry{"prompt_date", "可回复 2026-11-27、11-27、11月27日、今天、昨天", "e.g. 2026-11-27, 11-27, today, yesterday"},
    Entry{"prompt_attachment", "请直接发送图片或文件,或发送链接", "Send an image or a file, or a link"},
    Entry{"prompt_yesno", "1 是 2 否", "1 yes 2 no"},
    Entry{"prompt_example", "示例:{example}", "Example: {example}"},
    Entry{"prompt_commands_required", "可回复「上一步」「预览」「取消」「帮助」", "You can reply \"back\", \"preview\", \"cancel\" or \"help\""},
    Entry{"prompt_commands", "可回复「上一步」「跳过」「预览」「取消」「帮助」", "You can reply \"back\", \"skip\", \"preview\", \"cancel\" or \"help\""},
    // Answer errors (each followed by the prompt again)
    Entry{"err.empty", "内容不能为空。", "The answer is empty."},
    Entry{"err.invalid_utf8", "内容含有无法识别的字符,请重新输入。", "The answer contains unreadable characters."},
    Entry{"err.too_short", "需要 {min} 字以上,您输入了 {count} 字。", "At least {min} characters are needed; you wrote {count}."},
    Entry{"err.too_long", "最多 {max} 字,您输入了 {count} 字。", "At most {max} characters are allowed; you wrote {count}."},
    Entry{"err.single_line", "这一项只需一行,请不要换行。", "This item takes a single line."},
    Entry{"err.choice", "请回复序号或名称:{options}", "Reply with a number or a name: {options}"},
    Entry{"err.choice_item", "「{item}」不是可选项。请从中选择:{options}", "\"{item}\" is not one of the options: {options}"},
    Entry{"err.choice_count", "请选择 {min}–{max} 项。", "Choose between {min} and {max} options."},
    Entry{"err.integer", "请输入整数,例如 12。", "Enter a whole number, e.g. 12."},
    Entry{"err.number", "请输入数字,例如 12 或 3.5。", "Enter a number, e.g. 12 or 3.5."},
    Entry{"err.range", "数值需在 {min}–{max} 之间。", "The value must be between {min} and {max}."},
    Entry{"err.date", "没有识别出日期,请回复如 2026-11-27、11-27、11月27日、今天、昨天。", "That is not a date; reply e.g. 2026-11-27, 11-27, today or yesterday."},
    Entry{"err.date_future", "日期不能晚于今天({today}),请填写事情发生的日期。", "The date cannot be after today ({today}); give the date it happened."},
    Entry{"err.date_range", "日期超出合理范围,请检查年份。", "That date is out of range; check the year."},
    Entry{"err.url", "请输入以 http:// 或 https:// 开头的链接。", "Enter a link starting with http:// or https://."},
    Entry{"err.attachment", "请直接发送图片或文件,或发送链接;不需要可回复「跳过」。", "Send an image or a file, or a link; reply \"skip\" if there is none."},
    Entry{"err.unit", "没有找到该单位,请回复序号或名称:{options}", "No such unit; reply with a number or a name: {options}"},
    Entry{"err.unit_not_own", "只能为本人所在单位报送,请回复序号或名称:{options}", "You can file only for your own unit(s); reply with a number or a name: {options}"},
    Entry{"err.message_too_long", "这条消息太长了,最多约 {max} 个字。请分几条发送,或只发送需要填写的部分。", "That message is too long: at most about {max} characters. Please send it in parts, or only what the form needs."},
    Entry{"err.yesno", "请回复「是」或「否」。", "Reply \"yes\" or \"no\"."},
    // Commands
    Entry{"cannot_skip", "第 {step} 项为必填,不能跳过。", "Item {step} is required and cannot be skipped."},
    Entry{"at_first", "已经是第一项。", "This is already the first item."},
    Entry{"edit_usage", "请回复「修改 N」,N 为预览中的序号 1–{total}。", "Reply \"edit N\" with N between 1 and {total} as numbered in the preview."},
    Entry{"cancelled", "已取消本次填报,已填内容不会保存。", "Cancelled; nothing was saved."},
    // Help: generated from the command table (handlers/commands.cpp), one line per row
    Entry{"help.header", "填报命令:{commands}。", "Commands: {commands}."},
    Entry{"help.oneshot", "也可以一次发送多行「项目:内容」批量填写。", "You can also send several \"label: value\" lines at once."},
    Entry{"help.coordinator", "组织部门命令:{commands}。", "Coordinators: {commands}."},
    Entry{"help.coordinator_hint", "组织部门另有:{commands}。", "Coordinators also have: {commands}."},
    Entry{"help.start", "「填报」开始", "\"report\" start"},
    Entry{"help.back", "「上一步」返回", "\"back\""},
    Entry{"help.skip", "「跳过」跳过选填项", "\"skip\" an optional item"},
    Entry{"help.edit_item", "「修改 N」改第 N 项", "\"edit N\""},
    Entry{"help.preview", "「预览」查看", "\"preview\""},
    Entry{"help.submit", "「提交」提交", "\"submit\""},
    Entry{"help.cancel", "「取消」放弃", "\"cancel\""},
    Entry{"help.resume", "「继续」接着填草稿", "\"continue\" a draft"},
    Entry{"help.edit_report", "「修改 编号」修改已提交未审核的报告", "\"edit R-…\" revise a submitted report"},
    Entry{"help.web_link", "「网页填报」在网页上填写和修改报告(登录链接私信发送)", "\"web form\" fill in and fix reports on a page (the sign-in link comes privately)"},
    Entry{"web.off", "本服务尚未开启网页填报,请继续在这里填报。", "The pages are not set up on this service; please go on reporting here."},
    Entry{"web.not_private", "这个平台上我无法私信您,为安全起见不在群里发送登录链接。请在与我的单聊中发送「网页填报」。", "I cannot message you privately on this platform, and a sign-in link is never posted in a group. Send \"web form\" to me in a direct chat."},
    // A quiet group: a form that goes on privately (docs/conversation.md)
    Entry{"private.started", "已私信您继续填写,请在与我的私聊中作答;群里只会看到提交回执。", "I have messaged you privately: the form goes on in our private chat, and the group only sees the receipt."},
    Entry{"private.open", "打开私聊", "Open the private chat"},
    Entry{"private.receipt", "已提交《{title}》,编号 {number}。", "Submitted \"{title}\" as {number}."},
    Entry{"private.revised", "已修改《{title}》{number}(第 {revision} 版)。", "Revised \"{title}\" {number} (revision {revision})."},
    // Buttons (docs/conversation.md, "Buttons"): what they say, as people read it
    Entry{"button.submit", "提交", "submit"},
    Entry{"button.cancel", "取消", "cancel"},
    Entry{"button.start", "填报", "report"},
    Entry{"button.yes", "是", "yes"},
    Entry{"button.no", "否", "no"},
    Entry{"button.continue", "继续", "continue"},
    Entry{"button.approve", "通过", "approve"},
    Entry{"button.return", "退回", "return"},
    Entry{"button.adopt", "采用", "adopt"},
    Entry{"button.show", "查看", "show"},
    Entry{"button.edit", "修改", "edit"},
    Entry{"button.web", "网页填报", "web form"},
    Entry{"web.link_sent", "登录链接已私信发给您,{minutes} 分钟内有效,只能使用一次。", "The sign-in link has been sent to you privately; it works once, within {minutes} minutes."},
    Entry{"web.link", "网页填报登录链接(仅限本人,{minutes} 分钟内有效,只能使用一次,请勿转发):\n{link}", "Your sign-in link to the pages (for you only, works once within {minutes} minutes; do not forward it):\n{link}"},
    Entry{"web.brand", "联络员助手", "Liaison"},
    Entry{"web.yes", "是", "yes"},
    Entry{"web.revise", "修改", "Revise"},
    Entry{"web.comment", "审核意见:{comment}", "Reviewer's comment: {comment}"},
    Entry{"web.cannot_revise_title", "无法修改", "Cannot revise"},
    Entry{"web.new_report", "新建报告", "New report"},
    Entry{"web.choose_title", "新建报告", "New report"},
    Entry{"web.continue_draft", "继续填写聊天中的草稿《{template}》", "Continue the draft \"{template}\" from the chat"},
    Entry{"web.no_templates", "您在这个群里没有需要报送的报告类型。", "There is no report type for you to file in this chat."},
    Entry{"web.back_to_mine", "返回我的报告", "Back to my reports"},
    Entry{"web.save", "保存草稿", "Save draft"},
    Entry{"web.preview", "预览", "Preview"},
    Entry{"web.submit", "提交", "Submit"},
    Entry{"web.saved", "草稿已保存。在聊天中发送「继续」也可接着填写。", "Draft saved. You can also go on in the chat with \"continue\"."},
    Entry{"web.autosaved", "草稿已自动保存。", "Draft saved automatically."},
    Entry{"web.fix_errors", "有几项需要修改,见下方红字。草稿已保存其余内容。", "Some items need fixing (in red below); the rest of the draft is saved."},
    Entry{"web.missing", "还有必填项没有填写(标 * 的项)。草稿已保存。", "Required items (marked *) are still empty. The draft is saved."},
    Entry{"web.not_filed", "没有提交:内容与已报送的报告相同,或还有必填项未填写。草稿已保存。", "Not submitted: the same as a report already sent, or required items are empty. The draft is saved."},
    Entry{"web.revising", "正在修改 {number},提交后为新的版本。", "Revising {number}; submitting makes a new revision."},
    Entry{"web.photos_help", "最多 {max} 张,JPEG、PNG、WebP 或 HEIC 照片;也可以在聊天中发送。", "Up to {max} photos, JPEG, PNG, WebP or HEIC; or send them in the chat."},
    Entry{"web.photo_n", "照片 {n}", "Photo {n}"},
    Entry{"web.photo_remove", "移除", "Remove"},
    Entry{"web.photo_from_chat", "聊天中发送的照片或附件", "A photo or file sent in the chat"},
    Entry{"web.photo_added", "照片已添加。", "Photo added."},
    Entry{"web.photo_removed", "照片已移除。", "Photo removed."},
    Entry{"web.photo_failed", "上传没有成功,请检查网络后重试。", "The upload did not go through; check the connection and try again."},
    Entry{"web.photo_empty", "这个文件是空的。", "This file is empty."},
    Entry{"web.photo_too_large", "照片太大:每张不超过 {max} MB。", "The photo is too large: at most {max} MB each."},
    Entry{"web.photo_type", "只能上传 JPEG、PNG、WebP 或 HEIC 照片。", "Only JPEG, PNG, WebP or HEIC photos can be uploaded."},
    Entry{"web.photo_too_many", "24 小时内上传的照片已达上限,请稍后再试,或在聊天中发送。", "You have uploaded as many photos as allowed in 24 hours; try later, or send them in the chat."},
    Entry{"web.photo_no_field", "这份报告没有照片项。", "This report has no item for photos."},
    Entry{"web.photo_full", "这一项最多 {max} 张照片,请先移除一张。", "This item takes at most {max} photos; remove one first."},
    Entry{"web.filed_title", "已提交", "Submitted"},
    Entry{"web.filed", "《{title}》已提交,编号 {number}。群里会收到回执。", "\"{title}\" is submitted as {number}. The chat gets the receipt."},
    Entry{"web.unknown_template", "没有这个报告类型,或您在这里不需要报送它。", "No such report type, or not one you file here."},
    Entry{"web.no", "否", "no"},
    Entry{"web.hello", "{name},您好。", "Hello, {name}."},
    Entry{"web.mine_title", "我的报告", "My reports"},
    Entry{"web.mine_none", "本月还没有报送,也没有待处理的报告。", "No reports this month and none open."},
    Entry{"web.mine_line", "{number} · {template} · {date} · 第 {revision} 版", "{number} · {template} · {date} · revision {revision}"},
    Entry{"web.sign_out", "退出登录", "Sign out"},
    Entry{"web.sign_in", "登录", "Sign in"},
    Entry{"web.sign_in_title", "登录网页填报", "Sign in to the pages"},
    Entry{"web.signing_in", "正在登录……如果页面没有自动跳转,请点击「登录」。", "Signing in… If nothing happens, press \"Sign in\"."},
    Entry{"web.sign_in_how", "请在聊天中向联络员助手发送「网页填报」,用私信收到的链接登录。", "Send \"web form\" to the bot in chat and open the link it sends you privately."},
    Entry{"web.link_invalid_title", "链接已失效", "This link no longer works"},
    Entry{"web.link_invalid", "登录链接只能使用一次,并在几分钟后失效。请在聊天中重新发送「网页填报」获取新链接。", "A sign-in link works once and only for a few minutes. Send \"web form\" in chat for a new one."},
    Entry{"web.signed_out_title", "已退出", "Signed out"},
    Entry{"web.signed_out", "您已退出登录。需要时请在聊天中发送「网页填报」。", "You are signed out. Send \"web form\" in chat when you need the pages again."},
    Entry{"web.forbidden_title", "无法完成", "Not allowed"},
    Entry{"web.forbidden", "这个请求没有通过安全校验,请刷新页面后重试。", "This request did not pass the security check; reload the page and try again."},
    Entry{"web.too_many_title", "尝试过于频繁", "Too many attempts"},
    Entry{"web.too_many", "登录尝试过于频繁,请稍后再试。", "Too many sign-in attempts; try again later."},
    Entry{"web.in_app_none", "这个平台的机器人不支持应用内登录。请在聊天中发送「网页填报」,用私信收到的链接登录。", "This platform's bot has no in-app sign-in. Send \"web form\" in chat and open the link it sends you privately."},
    Entry{"web.in_app_failed_title", "登录未成功", "Not signed in"},
    Entry{"web.in_app_failed", "平台没有确认您的身份(登录码无效、已使用或已过期)。请从应用里重新打开本页,或在聊天中发送「网页填报」。", "The platform did not confirm who you are (the sign-in code is unknown, used or expired). Open this page again from the app, or send \"web form\" in chat."},
    Entry{"web.in_app_unreachable", "暂时连不上平台,无法确认您的身份。请稍后再试,或在聊天中发送「网页填报」。", "The platform cannot be reached to confirm who you are. Try again later, or send \"web form\" in chat."},
    Entry{"web.not_on_roster", "平台确认了您的账号,但它不在联络员名册中,或您在这个机器人的群里没有需要报送的报告。请联系管理员。", "The platform confirmed your account, but it is not on the roster, or you file no report in this bot's chats. Ask the administrator."},
    Entry{"web.launching", "正在通过 Telegram 登录……", "Signing in through Telegram…"},
    Entry{"web.launch_hint", "本页需要从 Telegram 中的小程序按钮打开。也可以在聊天中发送「网页填报」获取登录链接。", "Open this page from the Mini App button in Telegram, or send \"web form\" in chat for a sign-in link."},
    Entry{"web.not_found_title", "页面不存在", "Page not found"},
    Entry{"web.not_found", "没有这个页面。", "There is no such page."},
    Entry{"help.mine", "「我的」本月和未完成的报告", "\"mine\" my reports this month and open ones"},
    Entry{"unknown_input", "没有听懂。回复「帮助」查看可用命令,回复「填报」开始填报。", "Not understood. Reply \"help\" for the commands, or \"report\" to start one."},
    Entry{"mine.none", "您本月还没有报送,也没有待处理的报告。回复「填报」开始。", "You have no reports this month and none open. Reply \"report\" to start one."},
    Entry{"mine.header", "您的报告({count} 篇,新的在前):", "Your reports ({count}, newest first):"},
    Entry{"mine.line", "{number}《{title}》{template} · {state} · {age}", "{number} \"{title}\" {template} · {state} · {age}"},
    Entry{"mine.editable", "可「修改 {number}」", "\"edit {number}\" to revise"},
    Entry{"help.leave", "「请假 开始 结束」登记请假", "\"leave FROM TO\""},
    Entry{"help.end_leave", "「销假」", "\"end leave\""},
    Entry{"help.status", "「进度 [类型]」查看本期进度", "\"status [type]\" this period's board"},
    Entry{"help.remind", "「催报 [类型] [单位]」立即提醒未报送的", "\"remind [type] [units]\" remind who is missing now"},
    Entry{"help.digest", "「周报」发送本期汇总", "\"digest\" post the digest now"},
    Entry{"help.review", "「审核」待审核的报告", "\"review\" reports waiting for review"},
    Entry{"help.approve", "「通过 编号」审核通过", "\"approve R-…\" approve"},
    Entry{"help.return", "「退回 编号 意见」退回修改", "\"return R-… comment\" send back with a comment"},
    Entry{"help.adopt", "「采用 编号 级别 [载体]」登记采用", "\"adopt R-… level [where]\" record an adoption"},
    Entry{"help.show", "「查看 编号」查看报告及审核记录", "\"show R-…\" a report with its history"},
    Entry{"help.withdraw", "「撤回 编号」撤回未通过审核的报告", "\"withdraw R-…\" withdraw a report not yet approved"},
    Entry{"state.submitted", "待审核", "waiting for review"},
    Entry{"state.returned", "已退回", "returned"},
    Entry{"state.approved", "已通过", "approved"},
    Entry{"state.adopted", "已采用", "adopted"},
    Entry{"state.withdrawn", "已撤回", "withdrawn"},
    Entry{"action.approve", "通过", "be approved"},
    Entry{"action.return", "退回", "be returned"},
    Entry{"action.adopt", "采用(需先审核通过)", "be adopted (approve it first)"},
    Entry{"action.withdraw", "撤回(已通过的报告不能撤回)", "be withdrawn (an approved report cannot be)"},
    Entry{"age_now", "刚刚", "just now"},
    Entry{"age_minutes", "{n} 分钟前", "{n} min ago"},
    Entry{"age_days", "{n} 天前", "{n} d ago"},
    Entry{"age_hours", "{n} 小时前", "{n} h ago"},
    Entry{"review.usage_approve", "请回复「通过 编号」,例如「通过 R-2026-0001」。回复「审核」查看待审核的报告。", "Reply \"approve R-2026-0001\". \"review\" lists what waits."},
    Entry{"review.usage_return", "请回复「退回 编号 意见」,例如「退回 R-2026-0001 请补充具体数据」。", "Reply \"return R-2026-0001 your comment\"."},
    Entry{"review.usage_adopt", "请回复「采用 编号 级别 [载体]」,例如「采用 R-2026-0001 市级 《组工信息》第12期」。", "Reply \"adopt R-2026-0001 level [where]\"."},
    Entry{"review.usage_withdraw", "请回复「撤回 编号」,例如「撤回 R-2026-0001」。", "Reply \"withdraw R-2026-0001\"."},
    Entry{"review.usage_show", "请回复「查看 编号」,例如「查看 R-2026-0001」。", "Reply \"show R-2026-0001\"."},
    Entry{"review.out_of_scope_unit", "{unit} 不在您负责的单位范围内。", "{unit} is outside the units you coordinate."},
    Entry{"review.illegal", "{number} 当前{state},不能{action}。", "{number} is {state}: it cannot {action}."},
    Entry{"review.queue_empty", "没有待审核的报告。", "Nothing waits for review."},
    Entry{"review.queue_header", "待审核 {count} 篇(先报先审):", "{count} waiting for review, oldest first:"},
    Entry{"review.queue_line", "{i}. {number} {unit} {author}《{title}》第 {revision} 版 · {age}", "{i}. {number} {unit} {author} \"{title}\" rev. {revision} · {age}"},
    Entry{"review.queue_footer", "回复「查看 编号」「通过 编号」或「退回 编号 意见」。", "Reply \"show R-…\", \"approve R-…\" or \"return R-… comment\"."},
    Entry{"review.show_header", "{number}《{title}》\n{unit} · {author} · {state} · 第 {revision} 版", "{number} \"{title}\"\n{unit} · {author} · {state} · revision {revision}"},
    Entry{"review.show_adoption", "采用:{level}(+{points} 分){venue}", "Adopted: {level} (+{points}) {venue}"},
    Entry{"review.show_history", "· {age} {who} {action} {detail}", "· {age} {who} {action} {detail}"},
    Entry{"review.approved", "已通过 {number}《{title}》({author})。", "Approved {number} \"{title}\" ({author})."},
    Entry{"review.approved_notice", "您的报告 {number}《{title}》已审核通过。", "Your report {number} \"{title}\" was approved."},
    Entry{"review.return_needs_comment", "退回需写明意见:「退回 {number} 意见」。", "A return needs a comment: \"return {number} your comment\"."},
    Entry{"review.returned", "已退回 {number}《{title}》。", "Returned {number} \"{title}\"."},
    Entry{"review.told_here", "已在本群通知 {author}。", "{author} is told here."},
    Entry{"review.told_private", "已私信通知 {author}。", "{author} is told privately."},
    Entry{"review.told_there", "已在其报送的群里通知 {author}。", "{author} is told in the chat where they filed it."},
    Entry{"review.cannot_tell", "注意:{author} 收不到机器人的通知(报送所用的机器人不能主动发消息),请另行告知。", "Note: {author} cannot be told by the bot (the bot they filed through cannot post unasked); please tell them yourself."},
    Entry{"review.returned_notice", "您的报告 {number}《{title}》被退回修改,意见:{comment}\n回复「修改 {number}」修改后重新提交。", "Your report {number} \"{title}\" was returned: {comment}\nReply \"edit {number}\" to revise and resubmit."},
    Entry{"review.adopt_level", "请写明采用级别:{levels}。例如「采用 {number} 市级 《组工信息》第12期」。", "Give the level: {levels}. E.g. \"adopt {number} 市级 where\"."},
    Entry{"review.venue", ",载体:{venue}", ", in {venue}"},
    Entry{"review.adopted", "已登记 {number}《{title}》被{level}采用(+{points} 分){venue}。", "Recorded: {number} \"{title}\" adopted at {level} (+{points}){venue}."},
    Entry{"review.adopted_news", "喜报:{unit}{author}报送的《{title}》({number})被{level}采用。", "Good news: \"{title}\" ({number}) by {author} of {unit} was adopted at {level}."},
    Entry{"review.adopted_notice", "喜报:您的报告 {number}《{title}》被{level}采用{venue},{unit}得 {points} 分。", "Your report {number} \"{title}\" was adopted at {level}{venue}: +{points} for {unit}."},
    Entry{"review.withdraw_not_yours", "{number} 不是您提交的报告,不能撤回。", "{number} is not yours to withdraw."},
    Entry{"review.waiting_line", "待审核提醒:您负责的单位有 {count} 篇报告等待审核,最早的 {number}《{title}》提交于 {age}。回复「审核」查看。", "Waiting for your review: {count} reports from your units; the oldest, {number} \"{title}\", came {age}. Reply \"review\" to see them."},
    Entry{"review.one_at_a_time", "一次处理一篇报告:「{command} {number}」未执行,多出的「{extra}」无法识别。请每篇单独发送,例如「{command} {number}」。", "One report a message: \"{command} {number}\" was not done because of the extra \"{extra}\". Send one message per report, e.g. \"{command} {number}\"."},
    Entry{"review.adopted_already", "{number} 已按{level}登记过采用(+{points} 分){venue},未重复计分。", "{number} already has this adoption at {level} (+{points}){venue}; nothing was counted twice."},
    Entry{"review.withdrawn", "已撤回 {number}《{title}》。", "Withdrew {number} \"{title}\"."},
    Entry{"history.report.submitted", "提交", "submitted"},
    Entry{"history.report.resubmitted", "修改后重新提交", "resubmitted"},
    Entry{"history.report.approved", "审核通过", "approved"},
    Entry{"history.report.returned", "退回", "returned"},
    Entry{"history.report.adopted", "采用", "adopted"},
    Entry{"history.report.withdrawn", "撤回", "withdrew"},
    Entry{"help.exemplars", "「范文 [类型]」看已采用的优秀报告,「范文 编号」读全文", "\"exemplars [type]\" adopted reports to learn from; \"exemplars R-…\" to read one"},
    Entry{"help.ranking", "「排名 [月|季|年] [类型]」各单位报送、采用和得分排名", "\"ranking [month|quarter|year] [type]\" units by points, approvals and reports"},
    Entry{"ranking.header", "【比学赶超】{window} · {template}(采用得分 › 通过 › 报送)", "[Ranking] {window} · {template} (points › approved › submitted)"},
    Entry{"ranking.window_month", "{year} 年 {n} 月", "{year}-{n}"},
    Entry{"ranking.window_quarter", "{year} 年第 {n} 季度", "{year} Q{n}"},
    Entry{"ranking.window_year", "{year} 年", "{year}"},
    Entry{"ranking.all_templates", "全部类型", "all types"},
    Entry{"ranking.quality", "实 {solid} · 新 {fresh} · 有数据 {share}%", "solid {solid} · new {fresh} · {share}% with figures"},
    Entry{"ranking.line", "{i}. {unit} {points} 分 · 报送 {submitted}(按时 {on_time})· 通过 {approved} · 采用 {adopted}{levels}", "{i}. {unit} {points} pts · {submitted} filed ({on_time} on time) · {approved} approved · {adopted} adopted{levels}"},
    Entry{"ranking.empty", "本期还没有报送或采用。", "Nothing filed or adopted in this period yet."},
    Entry{"ranking.more", "……另有 {count} 个单位。", "… and {count} more units."},
    Entry{"ranking.silent", "本期尚无报送:{count} 个单位。", "Nothing filed yet: {count} units."},
    Entry{"ranking.unknown", "没有「{word}」这个时段或类型。请回复「排名」「排名 季」「排名 年」,或加上报告类型。", "\"{word}\" is neither a period nor a report type. Reply \"ranking\", \"ranking quarter\", \"ranking year\", optionally with a type."},
    Entry{"export.number", "编号", "Number"},
    Entry{"export.type", "类型", "Type"},
    Entry{"export.template_version", "模板版本", "Template version"},
    Entry{"export.unit", "单位", "Unit"},
    Entry{"export.parent", "上级单位", "Parent unit"},
    Entry{"export.author", "报送人", "Author"},
    Entry{"export.title", "标题", "Title"},
    Entry{"export.status", "审核状态", "Review status"},
    Entry{"export.on_time", "按时", "On time"},
    Entry{"export.fast", "快", "Fast"},
    Entry{"export.solid", "实", "Solid"},
    Entry{"export.fresh", "新", "New"},
    Entry{"export.figures", "有数据", "Has figures"},
    Entry{"export.similar_to", "相似报告", "Similar to"},
    Entry{"export.revision", "版本", "Revision"},
    Entry{"export.submitted_at", "提交时间", "Submitted"},
    Entry{"export.updated_at", "更新时间", "Updated"},
    Entry{"export.yes", "是", "yes"},
    Entry{"export.no", "否", "no"},
    Entry{"export.submitted", "报送", "Submitted"},
    Entry{"export.on_time_count", "按时", "On time"},
    Entry{"export.approved", "通过", "Approved"},
    Entry{"export.adopted", "采用", "Adopted"},
    Entry{"export.points", "得分", "Points"},
    Entry{"help.approve_binding", "「同意绑定 编号」/「拒绝绑定 编号」处理账号绑定申请", "\"approve binding B1\" / \"refuse binding B1\" decide an account binding"},
    Entry{"not_on_roster_bind", "您还不在联络员名单中。如果您是名册中的联络员,请回复「绑定 姓名」申请绑定本账号,由组织部门确认。", "You are not on the liaison roster yet. If you are a liaison officer on the roster, reply \"bind <your name>\" to ask for this account to be bound; a coordinator confirms it."},
    Entry{"bind.disabled", "本系统未开放自助绑定,请联系组织部门在名册中添加您的账号。", "Binding in chat is not enabled here; ask the coordinators to add your account to the roster."},
    Entry{"bind.usage", "请回复「绑定 姓名」,例如「绑定 张三」。", "Reply \"bind <name>\", e.g. \"bind Zhang San\"."},
    Entry{"bind.already", "您已是名册中的 {name},无需绑定。", "You are {name} on the roster already; nothing to bind."},
    Entry{"bind.has_account_now", "{binding} 未同意:{name} 在这个机器人上已有绑定的账号。如需更换,请先联系管理员解除原绑定。", "{binding} not approved: {name} already has an account bound on this bot. To change it, have the old binding removed first."},
    Entry{"bind.unknown", "名册中没有「{name}」,请核对姓名,或联系组织部门。", "There is no \"{name}\" on the roster; check the name or ask the coordinators."},
    Entry{"bind.ambiguous", "名册中有多位「{name}」,请联系组织部门在名册中添加您的账号。", "More than one \"{name}\" is on the roster; ask the coordinators to add your account."},
    Entry{"bind.coordinator", "组织部门人员的账号只能在名册中配置,不能在群里绑定。", "Coordinators' accounts are set in the roster only, never bound in chat."},
    Entry{"bind.has_account", "{name} 在本平台已有账号;如需更换,请联系组织部门。", "{name} already has an account here; ask the coordinators to change it."},
    Entry{"bind.requested", "已提交绑定申请 {binding}:{user} 申请绑定为 {name}({unit})。请组织部门回复「同意绑定 {binding}」确认。", "Binding request {binding}: {user} asks to be {name} ({unit}). A coordinator confirms with \"approve binding {binding}\"."},
    Entry{"bind.none_pending", "没有待确认的绑定申请。", "No binding requests are waiting."},
    Entry{"bind.pending_header", "待确认的绑定申请(回复「同意绑定 编号」或「拒绝绑定 编号」):", "Binding requests waiting (reply \"approve binding B1\" or \"refuse binding B1\"):"},
    Entry{"bind.pending_line", "{binding} {user} → {name}({unit})", "{binding} {user} → {name} ({unit})"},
    Entry{"bind.not_found", "没有找到绑定申请「{binding}」。回复「同意绑定」查看待确认的申请。", "No binding request \"{binding}\". Reply \"approve binding\" to see those waiting."},
    Entry{"bind.decided", "绑定申请 {binding} 已经处理过({state})。", "Binding request {binding} was decided already ({state})."},
    Entry{"bind.state_approved", "已同意", "approved"},
    Entry{"bind.state_refused", "已拒绝或已被新的申请取代", "refused or replaced by a newer request"},
    Entry{"bind.approved", "已同意 {binding}:{user} 现在是名册中的 {name}。", "Approved {binding}: {user} is now {name} on the roster."},
    Entry{"bind.refused", "已拒绝 {binding}:{user} 不会绑定为 {name}。", "Refused {binding}: {user} will not be bound as {name}."},
    Entry{"bind.approved_notice", "您的绑定申请 {binding} 已通过:您现在是名册中的 {name}({unit}),可以回复「填报」报送信息了。", "Your binding request {binding} was approved: you are {name} ({unit}) on the roster; reply \"report\" to file."},
    Entry{"bind.refused_notice", "您的绑定申请 {binding} 未通过。如有疑问,请联系组织部门。", "Your binding request {binding} was refused. Ask the coordinators if in doubt."},
    // Preview and submit
    Entry{"preview_header", "【{template}】预览", "[{template}] preview"},
    // 快 · 实 · 新 at preview (docs/quality.md): at most three hints, then the preview's footer.
    Entry{"quality.header", "写作提示:", "Suggestions:"},
    Entry{"quality.similar", "· 与 {number}《{title}》相似度 {percent}%,请突出新情况、新做法", "· {percent}% similar to {number} \"{title}\": bring out what is new"},
    Entry{"quality.late", "· 发生于 {days} 天前,建议尽快报送", "· This happened {days} days ago: send it soon"},
    Entry{"quality.no_figures_in", "· {field}里还没有具体数字", "· {field} has no figures yet"},
    Entry{"quality.no_figures", "· 还没有具体数字(人数、次数、金额、比例等)", "· No figures yet (people, times, amounts, shares)"},
    Entry{"quality.empty_phrases", "· 「{phrase}」等套话 {count} 处,可换成具体做法和数据", "· {count} empty phrase(s) such as \"{phrase}\": say what was done, with figures"},
    Entry{"quality.thin", "· 「{field}」只有 {chars} 个字,可以写得更具体", "· \"{field}\" has only {chars} characters: be more specific"},
    Entry{"quality.exact_copy", "与已报送的 {number}《{title}》内容相同,不能重复报送。请修改后再提交。", "This is the same as {number} \"{title}\", already sent: it cannot be sent again. Edit it first."},
    Entry{"quality.exemplar", "· 可参考范文 {number}《{title}》,回复「范文 {number}」阅读全文", "· See {number} \"{title}\" for an example: reply \"exemplars {number}\""},
    Entry{"exemplars.header", "【范文】{template}(已采用、已通过的报告,供学习参考):", "[Exemplars] {template} (adopted and approved reports to learn from):"},
    Entry{"exemplars.line", "{i}. {number}《{title}》{unit} · {state}", "{i}. {number} \"{title}\" {unit} · {state}"},
    Entry{"exemplars.footer", "回复「范文 {number}」阅读全文。", "Reply \"exemplars {number}\" to read it whole."},
    Entry{"exemplars.none", "《{template}》还没有已采用或已通过的报告。", "No adopted or approved \"{template}\" reports yet."},
    Entry{"exemplars.unknown", "没有名为「{word}」的报告类型。", "No report type called \"{word}\"."},
    Entry{"exemplars.not_one", "{number} 不是已采用或已通过的报告,不能作为范文阅读。", "{number} is not an adopted or approved report."},
    Entry{"exemplars.whole_header", "【范文】{number}《{title}》\n{unit} · {author} · {state}", "[Exemplar] {number} \"{title}\"\n{unit} · {author} · {state}"},
    Entry{"quality.marks", "快 {fast} · 实 {solid} · 新 {fresh}", "fast {fast} · solid {solid} · new {fresh}"},
    Entry{"preview_footer_refused", "回复「修改 N」更改第 N 项,或「取消」放弃这份草稿。", "Reply \"edit N\" to change item N, or \"cancel\" to drop this draft."},
    Entry{"preview_footer", "回复「提交」确认,或「修改 N」更改第 N 项。", "Reply \"submit\" to confirm, or \"edit N\" to change item N."},
    Entry{"preview_empty", "(未填)", "(empty)"},
    Entry{"missing_required", "以下必填项尚未填写:{fields}", "These required items are still empty: {fields}"},
    Entry{"submitted", "已提交《{title}》,编号 {number},{period},{timing}。{review}", "Submitted \"{title}\" as {number}, {period}, {timing}. {review}"},
    Entry{"revised", "已更新《{title}》,编号 {number} 第 {revision} 版。{review}", "Updated \"{title}\", {number} revision {revision}. {review}"},
    Entry{"review_pending", "等待审核。", "Waiting for review."},
    Entry{"review_none", "", ""},
    Entry{"timing_on_time", "按时", "on time"},
    Entry{"timing_late", "逾期", "late"},
    Entry{"period_week", "{year} 年第 {week} 周", "week {week} of {year}"},
    Entry{"period_month", "{year} 年 {month} 月", "{month}/{year}"},
    // One-shot filling
    Entry{"oneshot_applied", "已填写 {count} 项。", "Filled {count} items."},
    Entry{"oneshot_unknown", "没有识别的项目:{labels}", "Unknown items: {labels}"},
    Entry{"oneshot_invalid", "「{label}」{error}", "\"{label}\": {error}"},
    // Revisions
    Entry{"report_not_found", "没有找到编号 {number} 的报告。", "There is no report {number}."},
    Entry{"report_not_yours", "编号 {number} 不是您提交的报告,不能修改。", "Report {number} was not submitted by you."},
    Entry{"report_locked", "编号 {number} 已{status},不能再修改。", "Report {number} is {status} and can no longer be changed."},
    Entry{"revising", "正在修改编号 {number}(第 {revision} 版)。", "Revising {number} (revision {revision})."},
    Entry{"status_approved", "审核通过", "approved"},
    Entry{"status_adopted", "被采用", "adopted"},
    Entry{"status_withdrawn", "撤回", "withdrawn"},
    // Values
    Entry{"yes", "是", "yes"},
    Entry{"no", "否", "no"},
    // Coordinators' status board (进度 / status)
    Entry{"status_header", "【{template}】{period}:已报 {done}/{expected}", "[{template}] {period}: {done}/{expected} reported"},
    Entry{"status_header_quota", "【{template}】{period}(每单位至少 {quota} 篇):达标 {done}/{expected}", "[{template}] {period} (at least {quota} per unit): {done}/{expected} met"},
    Entry{"status_header_count", "【{template}】{period}:共 {count} 篇(不设数量要求)", "[{template}] {period}: {count} in all (no quota)"},
    Entry{"status_on_time", "按时:{units}", "On time: {units}"},
    Entry{"status_late", "逾期:{units}", "Late: {units}"},
    Entry{"status_missing", "未报:{units}", "Missing: {units}"},
    Entry{"status_exempt", "免报:{units}", "Exempt: {units}"},
    Entry{"status_on_leave", "请假:{units}", "On leave: {units}"},
    // Reminders, escalation, manual reminders (docs/scheduling.md)
    Entry{"weekday_1", "周一", "Mon"},
    Entry{"weekday_2", "周二", "Tue"},
    Entry{"weekday_3", "周三", "Wed"},
    Entry{"weekday_4", "周四", "Thu"},
    Entry{"weekday_5", "周五", "Fri"},
    Entry{"weekday_6", "周六", "Sat"},
    Entry{"weekday_7", "周日", "Sun"},
    Entry{"due_format", "{month}月{day}日({weekday}){time}", "{weekday} {month}/{day} {time}"},
    Entry{"remind_officer", "提醒:《{template}》({period})还未收到{unit}的报送,截止时间 {due}。回复「填报」开始填写。", "Reminder: \"{template}\" ({period}) has not arrived from {unit}; due {due}. Reply \"report\" to start."},
    Entry{"remind_officer_late", "提醒:《{template}》({period})已过截止时间 {due},{unit}还未报送,请尽快补报。回复「填报」开始填写。", "Reminder: \"{template}\" ({period}) was due {due} and has not arrived from {unit}. Please report as soon as you can: reply \"report\"."},
    Entry{"remind_group", "《{template}》({period}):已报 {done}/{expected} 个单位,还有 {missing} 个单位未报,截止时间 {due}。", "\"{template}\" ({period}): {done}/{expected} units reported, {missing} still to come; due {due}."},
    Entry{"remind_group_late", "《{template}》({period})已过截止时间 {due}:已报 {done}/{expected} 个单位,还有 {missing} 个单位未报。", "\"{template}\" ({period}) was due {due}: {done}/{expected} units reported, {missing} missing."},
    Entry{"remind_officer_due_now", "提醒:《{template}》({period})截止时间 {due} 已到,{unit}还未报送,请立即报送。回复「填报」开始填写。", "Reminder: \"{template}\" ({period}) is due now ({due}) and has not arrived from {unit}. Please report now: reply \"report\"."},
    Entry{"remind_group_due_now", "《{template}》({period})截止时间 {due} 已到:已报 {done}/{expected} 个单位,还有 {missing} 个单位未报。", "\"{template}\" ({period}) is due now ({due}): {done}/{expected} units reported, {missing} missing."},
    Entry{"remind_group_names", "未报单位:{units}", "Not yet reported: {units}"},
    Entry{"escalate_header", "【催报汇总】《{template}》截止 {due},以下单位需要跟进:", "[Follow-up] \"{template}\" was due {due}; these units need chasing:"},
    Entry{"remind_done", "已催报《{template}》:提醒 {people} 名联络员({units} 个单位未报)。", "Reminded {people} officers for \"{template}\" ({units} units missing)."},
    Entry{"remind_nobody", "《{template}》({period})没有需要催报的单位。", "Nobody to remind for \"{template}\" ({period})."},
    Entry{"remind_too_soon", "刚刚已催报过,请 {minutes} 分钟后再试。", "A reminder went out just now; try again in {minutes} minutes."},
    Entry{"leave_reversed", "结束日期 {to} 早于开始日期 {from},请按「请假 开始 结束」的顺序填写。", "The end {to} is before the start {from}: reply \"leave FROM TO\" in that order."},
    Entry{"leave_past", "请假的结束日期 {to} 已经过去,无需登记。", "The leave ends on {to}, which has passed: nothing to record."},
    Entry{"remind_unknown_unit", "没有找到单位「{unit}」。", "No unit \"{unit}\"."},
    // Leave
    Entry{"leave_usage", "请假格式:「请假 开始日期 结束日期」,例如「请假 12-01 12-05」;只请一天可只写一个日期。「销假」提前结束。", "Leave: \"leave FROM TO\", e.g. \"leave 12-01 12-05\"; one date for a single day. \"end leave\" ends it early."},
    Entry{"leave_recorded", "已登记请假:{from} 至 {to},期间不会提醒你。回来后可发送「销假」。", "Leave recorded: {from} to {to}; no reminders meanwhile. Send \"end leave\" when you are back."},
    Entry{"leave_ended", "已销假,欢迎回来。", "Leave ended; welcome back."},
    Entry{"leave_ended_one", "已取消包含 {day} 的请假(如有;其他请假不变)。", "The leave covering {day}, if any, is cancelled; any other leave stays."},
    Entry{"leave_end_usage", "「销假」结束全部请假;「销假 12-10」只取消包含该日(今天或以后)的那次请假。", "\"end leave\" ends all leave; \"end leave 12-10\" cancels only the leave covering that day (today or later)."},
    Entry{"leave_none", "你目前没有登记的请假。", "You have no leave recorded."},
    Entry{"leave_too_long", "请假最长 {days} 天,请分段登记。", "Leave can be at most {days} days; record it in parts."},
    // Digest
    Entry{"calendar_ends", "【工作日历】日历数据只到 {date}。{year} 年起,法定节假日(元旦、春节、清明、劳动节、端午、中秋、国庆)按放假办法推算,调休上班日无法推算。国务院公布 {year} 年安排后,请补充日历文件 {file} 并重启服务。", "[Calendar] The working-day data ends on {date}. From {year}, statutory holidays (New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day) are computed; make-up working days cannot be. Once the {year} schedule is published, add it to {file} and restart."},
    Entry{"pages.none", "没有待显示的下一页。", "No further page is waiting."},
    Entry{"pages.more", "(第 {page}/{total} 页,回复「继续」看下一页)", "(page {page} of {total}; reply \"continue\" for the next one)"},
    Entry{"pages.last", "(第 {page}/{total} 页,完)", "(page {page} of {total}, the last)"},
    Entry{"digest_quality", "■ 报送质量 · 本周 {count} 篇(快 · 实 · 新)", "■ Report quality · {count} this week (fast · solid · new)"},
    Entry{"digest_quality_line", "平均 快 {fast} · 实 {solid} · 新 {fresh};含具体数字的占 {share}%({with}/{count})", "Average fast {fast} · solid {solid} · new {fresh}; {share}% with figures ({with}/{count})"},
    Entry{"digest_quality_lowest", "实分偏低:{units}", "Lowest solid: {units}"},
    Entry{"digest_title", "【联络工作周报】{period}", "[Liaison weekly digest] {period}"},
    Entry{"digest_section", "■ {template} · {period}", "■ {template} · {period}"},
    Entry{"digest_counts", "已报 {done}/{expected} 个单位,按时率 {rate}%({on_time}/{expected})", "{done}/{expected} units reported, on time {rate}% ({on_time}/{expected})"},
    Entry{"digest_counts_event", "本期 {count} 篇", "{count} this period"},
    Entry{"digest_counts_quota", "本期 {count} 篇,达到每单位 {quota} 篇的单位 {done}/{expected}", "{count} this period; {done}/{expected} units met the quota of {quota}"},
    Entry{"digest_trend", "较上期:已报 {done_delta},按时率 {rate_delta} 个百分点", "Against last period: reported {done_delta}, on-time rate {rate_delta} points"},
    Entry{"digest_trend_quota", "较上期:{count_delta} 篇", "Against last period: {count_delta}"},
    Entry{"digest_trend_same_days", "较上月同期(前 {days} 天):{count_delta} 篇", "Against the same {days} days of last month: {count_delta}"},
    Entry{"digest_highlights", "要点:", "Highlights:"},
    Entry{"digest_item", "· {title}({unit},{number})", "· {title} ({unit}, {number})"},
    Entry{"digest_more", "……另有 {count} 篇", "… and {count} more"},
    Entry{"digest_item_adopted", "· {title}({unit},{number},已采用)", "· {title} ({unit}, {number}, adopted)"},
    Entry{"digest_waiting", "另有 {count} 篇待审核,审核通过后列入要点。", "{count} more wait for review; they are listed once approved."},
    Entry{"digest_adopted", "■ 本周采用 {count} 篇", "■ Adopted this week: {count}"},
    Entry{"digest_adopted_item", "· {title}({unit},{number})被{level}采用 +{points} 分{venue}", "· {title} ({unit}, {number}) adopted at {level} +{points}{venue}"},
    Entry{"digest_ranking", "■ 比学赶超 · 近 {days} 天积分(较前 {days} 天名次)", "■ Rankings · points over the last {days} days (rank change against the {days} days before)"},
    Entry{"digest_rank_top", "前列:", "Top:"},
    Entry{"digest_rank_bottom", "末位:", "Bottom:"},
    Entry{"digest_rank_line", "{rank}. {unit} {points} 分 · 通过 {approved} · 报送 {submitted} {movement}", "{rank}. {unit} {points} pts · approved {approved} · submitted {submitted} {movement}"},
    Entry{"digest_rank_nobody", "暂无得分或通过的单位", "No unit has points or approvals yet"},
    Entry{"digest_rank_new", "新上榜", "new"},
    Entry{"digest_empty", "暂无需要汇总的模板。", "No templates to summarize."},
    Entry{"units_more", "……共 {count} 个单位,也可直接回复单位名称。", "… {count} units in all; you can also reply with a unit's name."},
    Entry{"coordinators_only", "「{command}」仅限组织部门使用。", "\"{command}\" is for coordinators."},
    // The console (liaison-bot console)
    Entry{"console_welcome", "联络员助手控制台 · 身份:{name}({unit})· 群:{chat}\n每行一条消息;「/as 姓名」切换身份,「/attach 文件名」发送附件,「/quit」退出;行内 \\n 表示换行。", "Liaison console · speaking as {name} ({unit}) · chat {chat}\nOne message per line; \"/as NAME\" switches person, \"/attach FILE\" sends an attachment, \"/quit\" exits; \\n inside a line is a line break."},
    Entry{"console_as", "(现在以 {name} 的身份发言)", "(now speaking as {name})"},
    Entry{"console_unknown_person", "名单中没有「{name}」。可用:{names}", "No \"{name}\" on the roster. Known: {names}"},
    Entry{"internal_error", "抱歉,处理时出现问题(编号 {id}),请稍后再试。", "Sorry, something went wrong (ref {id}). Please try again later."},
};
// clang-format on

std::string fill(std::string_view text, const Args& args) {
    std::string out;
    out.reserve(text.size() + 32);
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '{') {
            const auto close = text.find('}', i);
            if (close != std::string_view::npos) {
                const auto name = text.substr(i + 1, close - i - 1);
                const auto it =
                    std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
                if (it != args.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

const Entry* find(std::string_view key) {
    const auto it =
        std::find_if(std::begin(kEntries), std::end(kEntries), [&](const Entry& e) { return e.key == key; });
    return it == std::end(kEntries) ? nullptr : &*it;
}

}  // namespace

std::string_view catalog_raw(std::string_view locale, std::string_view key) {
    const Entry* e = find(key);
    if (e == nullptr) {
        return {};
    }
    return locale == "en" ? e->en : e->zh;
}

std::string msg(std::string_view locale, std::string_view key, const Args& args) {
    const Entry* e = find(key);
    if (e == nullptr) {
        return std::string(key);  // a missing key is a bug; show the key rather than nothing
    }
    return fill(locale == "en" ? e->en : e->zh, args);
}

std::string period_label(std::string_view locale, bool weekly, int year, int number) {
    return weekly ? msg(locale,
                        "period_week",
                        {{"year", std::to_string(year)}, {"week", std::to_string(number)}})
                  : msg(locale,
                        "period_month",
                        {{"year", std::to_string(year)}, {"month", std::to_string(number)}});
}

std::vector<std::string_view> catalog_keys() {
    std::vector<std::string_view> keys;
    for (const auto& e : kEntries) {
        keys.push_back(e.key);
    }
    return keys;
}

}  // namespace bot::handlers
