import numpy as np, sys
from sim import llr, logmix
TOL=1.25
def run(rng, rps, base, ratio, mode, blip=(22,27,10.0), hist_min=1440, mustcatch=2.0, maxmin=120):
    sched=[(5,10),(10,10),(50,10)]
    worse=[max(mustcatch,1.2*TOL)*2**i for i in range(6)]
    ww=[0.5**(i+1) for i in range(6)]
    hn = rps*60*hist_min if mode=='hist' else 0
    hx = rng.poisson(base*hn) if hn else 0
    step=0; t_in_step=0; earlier_w=np.zeros(6)
    C=[0,0]; S=[0,0]; stepC=[0,0]; stepS=[0,0]; pending=None; aside=False
    for minute in range(1,maxmin+1):
        w=sched[min(step,2)][0]/100; n=rps*60
        b = base*(blip[2] if blip[0]<=minute<blip[1] else 1)
        nc=rng.poisson(n*w); ns=rng.poisson(n*(1-w))
        xc=rng.binomial(nc,min(1,b*ratio)); xs=rng.binomial(ns,b)
        vis=pending; pending=(nc,xc,ns,xs)
        if vis: stepC[0]+=vis[1]; stepC[1]+=vis[0]; stepS[0]+=vis[3]; stepS[1]+=vis[2]
        t_in_step+=1
        totC=(C[0]+stepC[0],C[1]+stepC[1]); totS=(S[0]+stepS[0],S[1]+stepS[1])
        if mode=='step':
            wl=[earlier_w[i]+llr(stepC[0],stepC[1],stepS[0],stepS[1],worse[i],TOL) for i in range(6)]
        else:
            if mode=='hist' and not aside:
                g=logmix([llr(totS[0],totS[1],hx,hn,r,1) for r in [1.5,2,3,1/1.5,.5,1/3]],[1]*6)
                if g>=np.log(1000): aside=True
            hx2,hn2=(0,0) if (mode!='hist' or aside) else (hx,hn)
            wl=[llr(totC[0],totC[1],totS[0]+hx2,totS[1]+hn2,worse[i],TOL) for i in range(6)]
        if logmix(wl,ww)>=np.log(1/0.004): return 'rb'
        if step<2 and t_in_step>=10:
            if mode=='step': earlier_w=np.array(wl)
            C=[totC[0],totC[1]]; S=[totS[0],totS[1]]; stepC=[0,0]; stepS=[0,0]; step+=1; t_in_step=0
        elif step==2 and t_in_step>=10: return 'pr'
    return 'held'
for k in [5.0,10.0]:
  for mode in ['step','pool','hist']:
    rng=np.random.default_rng(3)
    out=[run(rng,10,0.005,1,mode,blip=(22,27,k)) for _ in range(300)]
    print(f"blip x{k} mode {mode}: false rollback {out.count('rb')/3:.1f}%", flush=True)
