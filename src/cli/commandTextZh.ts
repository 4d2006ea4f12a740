/**
 * Each command's usage, summary and help in Chinese, for the commands that do not carry their own (a command's
 * summaryZh/helpZh wins). Placeholders are Chinese words; option names, command names and codes stay as typed.
 */
export const commandTextZh: Readonly<Record<string, { readonly usage: string; readonly summary: string; readonly help?: string }>> = {
  devices: { usage: 'devices', summary: '列出 fiscald 管理的收款机' },
  info: { usage: 'info 编号', summary: '显示一台收款机', help: '编号为设备编号或机器编号。' },
  diagnose: {
    usage: 'diagnose 编号', summary: '对收款机做故障诊断，并用通俗的话说明结果',
    help: '逐项检查，不正常的项目给出处理办法和由谁处理。只发送读取命令。\n退出码：0 诊断完成（请看结论），4 收款机忙，5 无法连接。',
  },
  jobs: {
    usage: 'jobs [--device 编号] [--state 状态] [--limit 条数]', summary: '列出最近的任务，最新的在前',
    help: '状态可选 running（运行中）、waiting（等待中）、succeeded（成功）、failed（失败）、cancelled（已取消）；\n'
      + '条数 1 至 1000（默认 100）。表中的任务编号可直接用于 watch 和 cancel（只要前几位不与其他任务相同即可）。',
  },
  watch: {
    usage: 'watch 任务', summary: '跟踪一个任务直到结束（终端上显示进度条）；已结束的任务再次显示其结果',
    help: '任务编号可只写前几位。退出码：任务成功为 0，否则为其错误的退出码（1 失败，3 拒绝，4 忙，5 不可达）。\n'
      + '跟踪中按 Ctrl-C：终端上会询问取消任务还是留它继续执行；不在终端上时任务继续执行，退出码 130。',
  },
  cancel: {
    usage: 'cancel 任务', summary: '取消一个正在执行或等待中的任务',
    help: '任务编号可只写前几位。正处于关键步骤（例如正在写入收款机）的任务会在该步骤完成后停止。',
  },
  records: {
    usage: 'records [--device 编号] [--since 日期] [--until 日期] [--format table|json|csv]',
    summary: '维修记录，可按设备和日期筛选；可导出为逗号分隔文件',
    help: '日期为 2026-03-01 或 2026-03-01T08:00:00+08:00 这样的格式；只写日期的 --until 包含当天。\n'
      + '表格显示收款机所在时区的本地时间和任务编号的前几位；csv 每格一个值（中文名称、精确到秒的本地时间、完整编号）；\n'
      + '--format json（或 --json）含全部内容，包括每条记录改变了什么。',
  },
  backup: {
    usage: 'backup 编号', summary: '数据备份：收款机及其卡槽中的卡所存的全部数据，备份后校验',
    help: '显示备份编号、各类数据的条数和发现的每个完整性问题。备份完成并校验通过时退出码为 0。',
  },
  backups: { usage: 'backups 编号', summary: '列出一台收款机的备份，最新的在前', help: '编号为设备编号或机器编号；网关不认识、也没有其备份的编号退出码为 1。' },
  'verify-backup': {
    usage: 'verify-backup 备份|文件.tar', summary: '校验网关保存的备份（重新计算摘要并与收款机比对），或一个备份归档文件',
    help: '参数是路径（含 / 或以 .tar 结尾）时在本机校验，无需 fiscald；文件不存在时直接说明。\n全部文件校验通过退出码为 0，有任何一个不通过为 3。',
  },
  'export-backup': {
    usage: 'export-backup 备份 [--to 挂载点]', summary: '把备份作为一个归档复制到 U 盘，读回并校验',
    help: '备份须仍能校验通过。归档写到第一个可写的移动存储（或 --to 指定的挂载点）的 FISCAL/BACKUP/<机器编号>/ 下，\n旁边附摘要文件；回答前会逐个校验复制件中的文件。',
  },
  restore: {
    usage: 'restore 编号 --backup 备份 [--dry-run] [--yes]', summary: '把备份中的纳税人参数写到替换用的收款机上（从不恢复税控存储器）',
    help: '编号为替换用的收款机（已用同一纳税人的卡初始化），备份为被替换机器的备份。\n'
      + '先显示恢复计划；在终端上确认后才写入，不在终端上须加 --yes。--dry-run 只显示计划，什么都不写。',
  },
  card: {
    usage: 'card [读卡器]', summary: '显示哪个读卡器或收款机卡槽中有什么卡，或解读其中一张卡',
    help: '不给读卡器：列出每个读卡器和收款机卡槽及卡片类型。给出读卡器（读卡器名称，或 设备/fiscal、设备/user）：\n解读这张卡；升级卡显示第几张、共几张、升级包、版本、型号以及数据是否与摘要一致。读卡不消耗口令次数。',
  },
  init: {
    usage: 'init 编号 [--yes] [--dry-run] [--fiscal-reader 读卡器] [--user-reader 读卡器] [--allow-last-pin-try] [--resend-pin]',
    summary: '税控初始化：先逐项检查，确认后初始化',
    help: '先试运行（逐项检查，不改变任何东西）并列出检查结果。全部通过后，在终端上询问是否初始化；不在终端上须加 --yes。\n'
      + '--dry-run 只做检查。--fiscal-reader/--user-reader 指定放卡的读卡器（默认为收款机的卡槽）。\n'
      + '--allow-last-pin-try 允许继续上次中断的初始化时用掉税控卡最后一次口令机会。\n'
      + '--resend-pin 重新发送上次中断时可能已用过的口令（卡已更换口令时会消耗一次机会）。检查不通过时退出码为 3。',
  },
  change: {
    usage: 'change 编号 类型 [选项] [--yes] [--dry-run]', summary: '税控装置变更登记（按类型）',
    help: [
      'basic-info（基本信息）        --taxpayer-name --declaration-mode --address --phone --contact --legal-representative [--taxpayer-id 核对用]',
      'installation-info（安装信息） --location --installer [--installed-on 年-月-日]',
      'invoice-approval（票种核定）  --approval-number --invoice-type 票种（可重复） [--single-limit --cumulative-limit --return-limit，单位为元]',
      'monitoring-data（监控数据）   申报缴税后的监控数据回写 [--allow-last-pin-try]',
      'tax-registration（税务登记）  --tax-registration-number [--office-code] [--taxpayer-id 核对用]',
      '不接受新的纳税人识别号：须先注销，再重新初始化。每种类型都可加 --note 备注。',
      '先显示将要写入的内容；在终端上确认后才执行，不在终端上须加 --yes。--dry-run 只显示，不执行。',
    ].join('\n'),
  },
  roll: {
    usage: 'roll 编号 [--yes] [--dry-run] [--allow-last-pin-try]', summary: '发票分发：从用户卡向收款机的税控卡分发一卷发票',
    help: '用户卡须插在收款机的用户卡槽中。上次中断时已分发的发票卷会被补装，不会重复分发。\n'
      + '收款机会校验它保存的税控卡口令；只剩一次机会时拒绝执行，除非加 --allow-last-pin-try。\n'
      + '在终端上确认后才执行，不在终端上须加 --yes。--dry-run 只显示将要做的事。',
  },
  deregister: {
    usage: 'deregister 编号 [--yes] [--dry-run] [--allow-undeclared] [--note 备注]', summary: '注销收款机：先做校验过的备份，再记录最终状态，生成交税务机关的服务记录',
    help: '显示要与税控卡一起交给税务机关的服务记录。上次申报后仍有销售时拒绝执行，除非加 --allow-undeclared（税务机关已同意）。\n'
      + '网关不改变税控数据，也无法给卡打孔：请把卡取出。注销不可撤销：在终端上确认后才执行，不在终端上须加 --yes。\n'
      + '--dry-run 只显示将要做的事。',
  },
  upgrade: {
    usage: 'upgrade 编号|--devices 清单文件 --package 升级包|文件 [--path serial|usb-stick|ic-card] [--concurrency 台数] [--allow-downgrade] [--reinstall] [--yes] [--dry-run]',
    summary: '固件升级：把升级包安装到收款机（串口传送、U 盘或 IC 卡，试运行启动，不成功自动退回原固件）',
    help: '先做校验过的备份；fiscald 再次校验升级包；收款机以新固件试运行启动，版本、摘要和自检都一致才确认，\n'
      + '否则收款机退回原固件（退出码 1）。同一版本须加 --reinstall，降级须加 --allow-downgrade；被拒绝时退出码为 3。\n'
      + '在终端上确认后才执行，不在终端上须加 --yes；--dry-run 只显示将要做的事。\n'
      + '--path usb-stick：升级包复制到 U 盘并回读校验，再由维修人员把 U 盘插到收款机上确认升级，网关等待收款机以新版本回来。\n'
      + '--path ic-card：按任务提示在读卡器中逐张写入空白升级卡，每张回读核对；维修人员再把升级卡逐张插入收款机，收款机安装后重新启动。\n'
      + '--devices 清单文件（每行第一列为设备编号）：每台收款机一个升级任务，同时最多 --concurrency 台（默认 4），\n'
      + '列出原版本、现版本、是否核对、是否退回、用时和错误代码；全部核对无误时退出码才为 0。',
  },
};
